package dev.kinema.data.sampling;

/**
 * How {@link TemporalIndex#uniformTemporalSubsample(int, int, LinspaceArithmetic)} evaluates
 * {@code linspace(0, T - 1, n)} before truncating each value toward zero.
 *
 * <p>PyTorchVideo computes the points with {@code torch.linspace} in float32, so where a point is
 * mathematically an integer its float value can land just below it and truncate to the previous
 * frame (for example 115 frames to 15 samples gives frame 56, not 57, at position 7). Which points do
 * so depends on the CPU kernel PyTorch dispatches to. Kinema reproduces the two x86-64 kernels bit for
 * bit, and offers the exact value too.
 */
public enum LinspaceArithmetic {
    /**
     * PyTorch's CPU kernel as dispatched on AVX2 machines, the usual x86-64 case: float32, the first
     * half counted up from the start and the second half down from the end, multiply-adds fused, the
     * lanes of 8-wide vectors added unfused. Kinema's default.
     */
    TORCH_CPU_AVX2,
    /** PyTorch's portable CPU kernel ({@code ATEN_CPU_CAPABILITY=default}): the same, with no fused multiply-add. */
    TORCH_CPU_DEFAULT,
    /** Exact rational arithmetic: {@code floor(i * (T - 1) / (n - 1))}. */
    EXACT
}

package dev.kinema.data.sampling;

/** Index arithmetic shared by the samplers, and PyTorchVideo's {@code uniform_temporal_subsample}. */
public final class TemporalIndex {
    /** Width of the float vectors in PyTorch's AVX2 and default CPU kernels (256 bits / 32). */
    private static final int TORCH_VEC_FLOATS = 8;
    /** Tolerance, in frames, when turning a time into a frame index (absorbs 0.1 * 30 = 3.0000000000000004). */
    private static final double FRAME_EPS = 1e-9;

    private TemporalIndex() {}

    /**
     * PyTorchVideo's {@code uniform_temporal_subsample} on indices: {@code numSamples} indices spread
     * evenly over {@code [0, totalFrames - 1]}, first and last included, each truncated toward zero.
     * When {@code numSamples > totalFrames} indices repeat (nearest-neighbour upsampling). Evaluated as
     * PyTorch does on a typical x86-64 machine ({@link LinspaceArithmetic#TORCH_CPU_AVX2}).
     *
     * <p>Follows {@code pytorchvideo.transforms.functional.uniform_temporal_subsample} (PyTorchVideo
     * 0.1.x): {@code torch.linspace(0, t - 1, num_samples)}, clamped to {@code [0, t - 1]}, then
     * {@code .long()}. Example: 10 frames to 4 samples is linspace 0, 3, 6, 9 = {@code [0, 3, 6, 9]}.
     */
    public static int[] uniformTemporalSubsample(int totalFrames, int numSamples) {
        return uniformTemporalSubsample(totalFrames, numSamples, LinspaceArithmetic.TORCH_CPU_AVX2);
    }

    /** {@link #uniformTemporalSubsample(int, int)} with a chosen evaluation of the linspace. */
    public static int[] uniformTemporalSubsample(int totalFrames, int numSamples, LinspaceArithmetic arithmetic) {
        requireAtLeast("totalFrames", totalFrames, 1);
        requireAtLeast("numSamples", numSamples, 1);
        int[] out = new int[numSamples];
        if (numSamples == 1 || totalFrames == 1) {
            return out; // linspace with one step is [start]; a 1-frame video has only frame 0
        }
        int last = totalFrames - 1;
        if (arithmetic == LinspaceArithmetic.EXACT) {
            for (int i = 0; i < numSamples; i++) {
                out[i] = (int) ((long) i * last / (numSamples - 1));
            }
            return out;
        }
        float[] points = torchLinspace(last, numSamples, arithmetic == LinspaceArithmetic.TORCH_CPU_AVX2);
        for (int i = 0; i < numSamples; i++) {
            float clamped = Math.min(Math.max(points[i], 0f), (float) last);
            out[i] = (int) clamped; // truncation toward zero, as Tensor.long()
        }
        return out;
    }

    /**
     * float32 {@code torch.linspace(0, end, steps)} as PyTorch's CPU range kernel computes it: step
     * {@code end / (steps - 1)}; point {@code i} is {@code start + step * i} below {@code steps / 2}
     * and {@code end - step * (steps - 1 - i)} from there on, except that runs of two 8-float vectors
     * take one such base per vector and add {@code lane * step} to it. The AVX2 build fuses the
     * base's multiply-add; the default build does not. Verified against torch on every
     * {@code end < 600, steps < 70}.
     */
    private static float[] torchLinspace(int end, int steps, boolean fused) {
        float start = 0f;
        float fend = end;
        float step = (fend - start) / (float) (steps - 1);
        int halfway = steps / 2;
        float[] v = new float[steps];
        int i = 0;
        for (; i <= steps - 2 * TORCH_VEC_FLOATS; i += 2 * TORCH_VEC_FLOATS) {
            for (int vec = 0; vec < 2; vec++) {
                int idx = i + vec * TORCH_VEC_FLOATS;
                float base = torchPoint(idx, steps, halfway, start, fend, step, fused);
                for (int lane = 0; lane < TORCH_VEC_FLOATS; lane++) {
                    v[idx + lane] = base + (float) lane * step;
                }
            }
        }
        for (; i < steps; i++) {
            v[i] = torchPoint(i, steps, halfway, start, fend, step, fused);
        }
        return v;
    }

    private static float torchPoint(int idx, int steps, int halfway, float start, float end, float step, boolean fused) {
        if (idx < halfway) {
            return fused ? Math.fma(step, (float) idx, start) : start + step * (float) idx;
        }
        float back = (float) (steps - idx - 1);
        return fused ? Math.fma(-step, back, end) : end - step * back;
    }

    /**
     * Frames of {@code video} whose presentation time {@code i / fps} lies in {@code [startSec, endSec)},
     * the rule of PyTorchVideo's {@code EncodedVideo.get_clip} (frames with {@code pts >= start} and
     * {@code pts < end}), then {@link #uniformTemporalSubsample uniformly subsampled} to
     * {@code clipLen} as PyTorchVideo's {@code UniformTemporalSubsample} transform does.
     *
     * <p>Deliberate difference: where the window holds no frame (PyTorchVideo would return no clip), the
     * frame nearest the window's start is used, so a sampler never yields an empty clip.
     */
    public static int[] windowFrames(VideoTimeline video, double startSec, double endSec, int clipLen) {
        int n = video.frames();
        long first = (long) Math.ceil(startSec * video.fps() - FRAME_EPS);
        long endExclusive = (long) Math.ceil(endSec * video.fps() - FRAME_EPS);
        first = Math.max(0, Math.min(first, n - 1));
        endExclusive = Math.min(endExclusive, n);
        if (endExclusive <= first) {
            endExclusive = first + 1;
        }
        int[] local = uniformTemporalSubsample((int) (endExclusive - first), clipLen);
        for (int i = 0; i < local.length; i++) {
            local[i] += (int) first;
        }
        return local;
    }

    /**
     * The clip {@code offset, offset + stride, ..., offset + (clipLen - 1) * stride}, each index taken
     * modulo {@code totalFrames}: MMAction2's {@code out_of_bound_opt='loop'}.
     */
    public static int[] loopedClip(long offset, int clipLen, int stride, int totalFrames) {
        int[] out = new int[clipLen];
        for (int j = 0; j < clipLen; j++) {
            out[j] = (int) Math.floorMod(offset + (long) j * stride, (long) totalFrames);
        }
        return out;
    }

    static int requireAtLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be >= " + min + " (got " + value + ")");
        }
        return value;
    }

    static double requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a finite number > 0 (got " + value + ")");
        }
        return value;
    }
}

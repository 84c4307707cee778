package dev.kinema.train;

/**
 * Floating-point operations a model does per clip, from its multiply-adds ({@code VideoModel.macs()},
 * the cards' MACs): the one convention behind the GFLOP/s that {@code kinema train} and
 * {@code kinema bench model} report, and so what is set against the machine's sgemm peak.
 *
 * <p>A multiply-add is 2 FLOPs. A training step counts 3 forward passes' worth: the forward pass,
 * and a backward pass that computes both the input gradient and the weight gradient of every layer,
 * each as costly as the forward (the convention of the scaling-law and MFU literature, 6 FLOPs per
 * MAC). Like the MACs, it counts convolutions and linear layers only: what a GEMM would do.
 */
public final class StepFlops {
    private StepFlops() {}

    /** FLOPs of one clip's eval-mode forward pass. */
    public static double inference(long macs) {
        return 2.0 * macs;
    }

    /** FLOPs of one clip's training step: forward, input gradient and weight gradient. */
    public static double training(long macs) {
        return 6.0 * macs;
    }

    /** Billions of FLOPs per second for {@code clips} clips of {@code flopsPerClip} done in {@code seconds}. */
    public static double gflopPerSecond(double flopsPerClip, long clips, double seconds) {
        return seconds > 0 ? flopsPerClip * clips / seconds / 1e9 : 0;
    }
}

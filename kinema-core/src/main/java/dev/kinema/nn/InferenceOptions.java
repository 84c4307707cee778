package dev.kinema.nn;

/**
 * The switches of the eval-mode convolution path, one system property each, read at every forward
 * so that one command line A/Bs them ({@code tools/bench/inference_ab.sh}, docs/benchmarks.md):
 *
 * <ul>
 *   <li>{@value #FUSE_BN} (default {@code true}): a batch norm after a convolution is folded into its
 *       weights where {@link ConvNormFolding#apply} marked the pair (the Predictor path and
 *       {@code kinema bench model}); {@code false} runs the two blocks as in training.</li>
 *   <li>{@value #TWO_HALVES} (default {@code false}): {@link GuardedConv3d}'s batch-of-one split,
 *       which keeps libtorch on oneDNN. Off since the paired A/B of 2026-12-03 (docs/benchmarks.md,
 *       "Issue 21, second pass"): r3d_18's batch-of-one inference took 1.16× as long with it, in
 *       every pair; the idle-machine rerun of {@code tools/bench/inference_ab.sh two-halves} decides
 *       whether it comes back.</li>
 * </ul>
 */
public final class InferenceOptions {
    public static final String FUSE_BN = "kinema.fuseBn";
    public static final String TWO_HALVES = "kinema.twoHalves";

    private InferenceOptions() {}

    /** Whether folded conv+BN pairs run as one convolution. */
    public static boolean fuseBn() {
        return Boolean.parseBoolean(System.getProperty(FUSE_BN, "true"));
    }

    /** Whether a batch of one may run as two halves ({@link GuardedConv3d}). */
    public static boolean twoHalves() {
        return Boolean.parseBoolean(System.getProperty(TWO_HALVES, "false"));
    }
}

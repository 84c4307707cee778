package dev.kinema.nn;

import dev.kinema.engine.EngineGuard;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's 3D convolution (same parameters, {@code weight} and {@code bias}, same geometry), run
 * through {@link #convolve}: the default 3D convolution of {@link LayerFactory}.
 *
 * <p>Why not DJL's {@code Conv3d} as it is: the PyTorch engine's oneDNN weight-gradient kernel
 * ({@code jit_avx512_common_convolution_bwd_weights}, its loop over output frames) mishandles a
 * convolution strided in time whose windows reach the zero padding at both ends of a short clip.
 * Depending on the shape the backward pass returns a wrong weight gradient (read from
 * uninitialised memory), hangs, or crashes the JVM (SIGSEGV in {@code reduce_diff_weights_3d});
 * e.g. a 7×7×7 stride-2 padding-3 convolution on 5, 6 or 7 frames. {@link #convolve} pads such a
 * clip in time itself (with zeros, exactly what the convolution's padding means) and convolves it
 * without temporal padding, which that kernel handles: the output and every gradient are
 * unchanged. docs/models.md, "Known engine issues", has the measured conditions.
 *
 * <p><b>Padding the input its own way.</b> A subclass may pad the input itself where a
 * convolution's own padding (zeros, the same on both sides) cannot: by replicating the end frames
 * (an inflated convolution) or TensorFlow's asymmetric "SAME" (I3D). It overrides
 * {@link #padInput} and {@link #remainingPadding}; the padding declared in the builder is what the
 * profiler and shape inference see, so it must give the same output size. The guard above applies
 * to what is left.
 */
public class GuardedConv3d extends Convolution {
    private static final LayoutType[] LAYOUT = {LayoutType.BATCH, LayoutType.CHANNEL, LayoutType.DEPTH,
        LayoutType.HEIGHT, LayoutType.WIDTH};

    /** The convolution DJL's builder describes; the engine guard is applied before any can run. */
    protected GuardedConv3d(Conv3d.Builder builder) {
        super(builder);
        EngineGuard.ensureApplied();
    }

    /** The convolution {@code spec} (3D) describes. */
    public static GuardedConv3d of(ConvSpec spec) {
        if (spec.dims() != 3) {
            throw new IllegalArgumentException("a 3D convolution, got a " + spec.dims() + "D spec");
        }
        return of(Conv3d.builder().setFilters(Math.toIntExact(spec.outChannels())).setKernelShape(spec.kernel())
                .optStride(spec.stride()).optPadding(spec.padding()).optBias(spec.bias()));
    }

    /** The convolution DJL's builder describes, for what {@link ConvSpec} does not say (groups, dilation). */
    public static GuardedConv3d of(Conv3d.Builder builder) {
        return new GuardedConv3d(builder);
    }

    /**
     * The weights an eval-mode forward uses with a batch norm folded in ({@link ConvNormFolding}),
     * and the arrays they were computed from; null until needed, dropped by a training-mode forward
     * (which may change the parameters).
     */
    private FoldedWeights foldedWeights;

    private record FoldedWeights(NDManager manager, NDArray weight, NDArray bias, BatchNorm norm, NDArray[] sources) {
        boolean computedFrom(BatchNorm n, NDArray[] arrays) {
            if (n != norm || arrays.length != sources.length) {
                return false;
            }
            for (int i = 0; i < arrays.length; i++) {
                if (arrays[i] != sources[i]) {
                    return false;   // a parameter's array was replaced (loaded, moved): fold again
                }
            }
            return true;
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), training);
        if (training) {
            dropFoldedWeights();
            return convolve(padInput(x), w, b, stride, remainingPadding(), dilation, groups);
        }
        return forwardInference(x, w, b);
    }

    /** The eval-mode forward followed by {@code norm}'s, as one convolution ({@link ConvNormFolding}). */
    NDList forwardFolded(ParameterStore parameterStore, NDList inputs, BatchNorm norm) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), false);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), false);
        FoldedWeights folded = foldedWeights(w, b, norm, parameterStore);
        return forwardInference(x, folded.weight(), folded.bias());
    }

    private NDList forwardInference(NDArray x, NDArray w, NDArray b) {
        NDArray in = padInput(x);
        Shape pad = remainingPadding();
        // Inference only (in a training step the copies' backward cost more than oneDNN saved, profiled),
        // and only when asked: off by default since a paired A/B found it slower (InferenceOptions).
        if (InferenceOptions.twoHalves() && runsAsTwoHalves(in.getShape(), w.getShape(), stride, dilation, groups,
                pad.get(0))) {
            return convolveInTwoHalves(in, w, b, stride, pad);
        }
        return convolve(in, w, b, stride, pad, dilation, groups);
    }

    /** The cached folded weights for these parameters and {@code norm}; computed again if stale. */
    private synchronized FoldedWeights foldedWeights(NDArray w, NDArray b, BatchNorm norm,
            ParameterStore parameterStore) {
        NDArray[] sources = {w, b, normValue(parameterStore, norm, "gamma", w),
            normValue(parameterStore, norm, "beta", w), normValue(parameterStore, norm, "runningMean", w),
            normValue(parameterStore, norm, "runningVar", w)};
        FoldedWeights cached = foldedWeights;
        if (cached != null && cached.computedFrom(norm, sources)) {
            return cached;
        }
        dropFoldedWeights();
        NDManager manager = w.getManager().newSubManager();
        NDArray weightOut;
        NDArray biasOut;
        try (NDManager scratch = w.getManager().newSubManager()) {
            for (NDArray source : sources) {
                if (source != null) {
                    source.tempAttach(scratch);   // what is computed from them lands in scratch, freed below
                }
            }
            NDList folded = ConvNormFolding.fold(w, b, sources[2], sources[3], sources[4], sources[5],
                    ConvNormFolding.epsilon(norm));
            weightOut = folded.get(0);
            biasOut = folded.get(1);
            weightOut.attach(manager);
            biasOut.attach(manager);
        }
        foldedWeights = new FoldedWeights(manager, weightOut, biasOut, norm, sources);
        return foldedWeights;
    }

    private static NDArray normValue(ParameterStore parameterStore, BatchNorm norm, String name, NDArray like) {
        return parameterStore.getValue(norm.getParameters().get(name), like.getDevice(), false);
    }

    /** Whether folded weights are cached (a test's view of whether folding ran). */
    synchronized boolean hasFoldedWeights() {
        return foldedWeights != null;
    }

    /** Frees the cached eval-mode weights; the next eval-mode forward computes them again from the parameters. */
    synchronized void dropFoldedWeights() {
        if (foldedWeights != null) {
            foldedWeights.manager().close();
            foldedWeights = null;
        }
    }

    /** The N×C×T×H×W input as the convolution gets it: unchanged here, padded by a subclass. */
    protected NDArray padInput(NDArray x) {
        return x;
    }

    /** The padding the convolution applies to {@link #padInput}'s result: the declared padding here. */
    protected Shape remainingPadding() {
        return padding;
    }

    /**
     * DJL's {@code conv3d} of the N×C×T×H×W {@code x}; when {@link #padsTimeItself} holds, the
     * temporal padding is an explicit zero pad of the input instead of the convolution's.
     */
    public static NDList convolve(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation,
            int groups) {
        if (x.getShape().dimension() != 5) {
            throw new IllegalArgumentException("a 3D convolution needs an N×C×T×H×W input, got " + x.getShape());
        }
        long window = dilation.get(0) * (w.getShape().get(2) - 1) + 1;
        if (!padsTimeItself(x.getShape().get(2), window, stride.get(0), padding.get(0))) {
            return kernel(x, w, b, stride, padding, dilation, groups);
        }
        long p = padding.get(0);
        NDArray padded = x.pad(new Shape(0, 0, 0, 0, p, p), 0);   // last axis first, as torch's pad
        return kernel(padded, w, b, stride, new Shape(0, padding.get(1), padding.get(2)), dilation, groups);
    }

    /** The engine's {@code conv3d}, the one way every convolution here reaches the kernel ({@link ConvGeometry#ran}). */
    private static NDList kernel(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding, Shape dilation,
            int groups) {
        ConvGeometry.ran(x, w, b != null, stride, padding, dilation, groups);
        return Conv3d.conv3d(x, w, b, stride, padding, dilation, groups);
    }

    /**
     * libtorch's rule ({@code ConvParams::use_mkldnn}, the same in torch 1.13 and 2.7) sends a float
     * convolution of a batch of one to its native {@code slow_conv3d} (unfold plus one GEMM per
     * clip) instead of oneDNN when the kernel is at most 3 wide or high and N·C·T·H is at most
     * {@value #NATIVE_CONV_LIMIT} ("for some case, native is faster"). For 3D convolutions it is not:
     * r3d_18's layer3 and layer4 (256×4×14×14, 512×2×7×7) ran there, 21% of a batch-of-one inference;
     * layer3's convolutions took 2.8× as long as oneDNN's on the same sums (docs/benchmarks.md,
     * "Where the time goes").
     */
    static final long NATIVE_CONV_LIMIT = 20480;

    /**
     * Frames smaller than this (pixels) stay on the native kernel: on r3d_18's 7×7 layer4 oneDNN was
     * no faster than the native kernel (1.26 s against 1.28 s over 6 calls, profiled), so the copies
     * of the halves would be pure cost. On layer3's 14×14 it was 2.8× faster.
     */
    static final long MIN_HALVED_PIXELS = 100;

    /**
     * Whether an eval-mode forward runs a batch of one as two halves of its output frames, a batch of
     * two, so that libtorch picks oneDNN: only when oneDNN is on (the engine guard verified it on
     * this CPU, for batches of two), libtorch would otherwise take its native kernel, the
     * convolution is dense, not dilated, not strided in time, gives at least two frames, and its
     * frames are not tiny ({@link #MIN_HALVED_PIXELS}). The stride in space is kept.
     */
    static boolean runsAsTwoHalves(Shape x, Shape w, Shape stride, Shape dilation, int groups, long timePadding) {
        long outFrames = x.get(2) + 2 * timePadding - w.get(2) + 1;
        return x.get(0) == 1 && groups == 1 && stride.get(0) == 1 && outFrames >= 2
                && dilation.get(0) == 1 && dilation.get(1) == 1 && dilation.get(2) == 1
                && !(w.get(3) > 3 && w.get(4) > 3) && x.get(1) * x.get(2) * x.get(3) <= NATIVE_CONV_LIMIT
                && x.get(3) * x.get(4) >= MIN_HALVED_PIXELS
                // A 1×1 kernel in space, not strided: single-threaded, libtorch's native kernel is the faster.
                && (w.get(3) != 1 || w.get(4) != 1 || stride.get(1) != 1 || stride.get(2) != 1)
                && EngineGuard.onednnEnabled();
    }

    /**
     * The convolution of a 1×C×T×H×W {@code x} (stride 1 in time) as a batch of two: the first
     * {@code h = ceil(T'/2)} output frames from one window of the time-padded input, the last
     * {@code h} from another, then joined (an odd T' computes its middle frame twice and keeps one).
     * Every output value is the same sum as the whole convolution's; only the kernel differs.
     */
    static NDList convolveInTwoHalves(NDArray x, NDArray w, NDArray b, Shape stride, Shape padding) {
        long kt = w.getShape().get(2);
        long p = padding.get(0);
        NDArray padded = p > 0 ? x.pad(new Shape(0, 0, 0, 0, p, p), 0) : x;
        long outFrames = padded.getShape().get(2) - kt + 1;
        long half = (outFrames + 1) / 2;
        long span = half + kt - 1;
        NDArray first = padded.get(":, :, 0:{}", span);
        NDArray last = padded.get(":, :, {}:{}", outFrames - half, outFrames - half + span);
        NDArray out = kernel(NDArrays.concat(new NDList(first, last)), w, b, stride,
                new Shape(0, padding.get(1), padding.get(2)), new Shape(1, 1, 1), 1).singletonOrThrow();
        NDArray front = out.get("0:1");
        NDArray back = out.get("1:2, :, {}:", 2 * half - outFrames);
        return new NDList(front.concat(back, 2));
    }

    /**
     * Whether a clip of {@code frames} is padded in time explicitly: the convolution is strided and
     * zero-padded in time, and the clip is shorter than the temporal window plus one stride, so that
     * the windows that still overlap the front padding can also reach the back padding. Every shape
     * measured to fail is in this set (docs/models.md); the others in it cost one copy of a short
     * clip.
     */
    public static boolean padsTimeItself(long frames, long window, long stride, long padding) {
        return stride >= 2 && padding > 0 && frames < window + stride;
    }

    @Override
    protected LayoutType[] getExpectedLayout() {
        return LAYOUT;
    }

    @Override
    protected String getStringLayout() {
        return "NCDHW";
    }

    @Override
    protected int numDimensions() {
        return 5;   // as DJL's Conv3d: the input's dimensions, batch and channels included
    }
}

package dev.kinema.nn;

import dev.kinema.engine.EngineGuard;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
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

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), training);
        return convolve(padInput(x), w, b, stride, remainingPadding(), dilation, groups);
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
            return Conv3d.conv3d(x, w, b, stride, padding, dilation, groups);
        }
        long p = padding.get(0);
        NDArray padded = x.pad(new Shape(0, 0, 0, 0, p, p), 0);   // last axis first, as torch's pad
        return Conv3d.conv3d(padded, w, b, stride, new Shape(0, padding.get(1), padding.get(2)), dilation, groups);
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

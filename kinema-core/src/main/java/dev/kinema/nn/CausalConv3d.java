package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;

/**
 * A 3D convolution that is causal in time: the output at frame t sees frames t−w+1 .. t only (w the
 * temporal window, {@code dilation·(kt−1)+1}), because the clip is padded on the past side alone,
 * with w−1 zero frames (MoViNet, Kondratyuk et al. 2021). Height and width keep their declared
 * padding. Temporal stride is 1, so there is one output frame per input frame.
 *
 * <p><b>Streaming.</b> While a stream is open ({@link StreamingLayer}), the past side is not zeros
 * but the stream buffer: the last w−1 frames of input this layer saw in earlier steps (zeros before
 * the first). Running a clip one frame, or a few frames, at a time then gives exactly the frames
 * the whole clip gives, and the buffer is w−1 frames whatever the length of the stream.
 *
 * <p>The declared padding is the symmetric {@code (w−1)/2} (kt must be odd), which gives the same
 * output size, so the profiler and shape inference count it as the non-causal convolution it
 * replaces; the real padding is {@link #padInput}'s.
 */
public final class CausalConv3d extends GuardedConv3d implements StreamingLayer {
    private final int past;
    private NDManager state;
    private NDArray buffer;

    private CausalConv3d(Conv3d.Builder builder, int past) {
        super(builder);
        this.past = past;
    }

    /** The causal convolution {@code spec} describes; its temporal padding is replaced, its temporal stride must be 1. */
    public static CausalConv3d of(ConvSpec spec) {
        return causal(spec.outChannels(), spec.kernel(), spec.stride(), spec.padding(), new Shape(1, 1, 1), 1,
                spec.bias());
    }

    /**
     * The causal counterpart of a 3D convolution: same filters, kernel, spatial stride and padding,
     * dilation, groups and bias (so the same parameters, under the same names), temporal stride 1.
     */
    public static CausalConv3d like(Convolution conv) {
        Shape s = conv.getStride();
        return causal(conv.getFilters(), conv.getKernelShape(), new Shape(1, s.get(1), s.get(2)), conv.getPadding(),
                conv.getDilation(), conv.getGroups(), conv.isIncludeBias());
    }

    private static CausalConv3d causal(long filters, Shape kernel, Shape stride, Shape padding, Shape dilation,
            int groups, boolean bias) {
        if (kernel.dimension() != 3) {
            throw new IllegalArgumentException("a causal 3D convolution needs a 3D kernel, got " + kernel);
        }
        if (stride.get(0) != 1) {
            throw new IllegalArgumentException("a causal convolution has temporal stride 1, got stride " + stride);
        }
        if (kernel.get(0) % 2 == 0) {
            throw new IllegalArgumentException("a causal convolution needs an odd temporal kernel, got " + kernel);
        }
        int past = Math.toIntExact(dilation.get(0) * (kernel.get(0) - 1));
        return new CausalConv3d(Conv3d.builder().setFilters(Math.toIntExact(filters)).setKernelShape(kernel)
                .optStride(stride).optPadding(new Shape(past / 2, padding.get(1), padding.get(2)))
                .optDilation(dilation).optGroups(groups).optBias(bias), past);
    }

    /** Frames of history the output at a frame depends on besides that frame: w−1, the buffer's length. */
    public int pastFrames() {
        return past;
    }

    @Override
    protected NDArray padInput(NDArray x) {
        if (past == 0) {
            return x;
        }
        if (state == null) {
            return x.pad(new Shape(0, 0, 0, 0, past, 0), 0);   // last axis first: W, H, then T (past side only)
        }
        Shape s = x.getShape();
        if (buffer == null) {
            buffer = state.zeros(new Shape(s.get(0), s.get(1), past, s.get(3), s.get(4)), x.getDataType());
        } else if (buffer.getShape().get(0) != s.get(0) || buffer.getShape().get(1) != s.get(1)
                || buffer.getShape().get(3) != s.get(3) || buffer.getShape().get(4) != s.get(4)) {
            throw new IllegalArgumentException("a stream's frames keep their batch, channels and size: the buffer holds "
                    + buffer.getShape() + ", the step brings " + s);
        }
        NDArray joined = buffer.concat(x, 2);
        joined.attach(x.getManager());                       // the step's array, freed with the step
        NDArray next = joined.get(new NDIndex(":, :, -" + past + ":")).duplicate();
        next.attach(state);
        buffer.close();
        buffer = next;
        return joined;
    }

    @Override
    protected Shape remainingPadding() {
        return new Shape(0, padding.get(1), padding.get(2));
    }

    @Override
    public void openStream(NDManager stateManager) {
        this.state = stateManager;
        this.buffer = null;
    }

    @Override
    public void closeStream() {
        this.state = null;
        this.buffer = null;
    }
}

package dev.kinema.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.LayoutType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.GuardedConv3d;

/**
 * DJL's 3D convolution on an input the subclass pads itself (by replicating frames, or TensorFlow's
 * asymmetric "SAME"), where a convolution's own padding cannot: zeros, the same on both sides. The
 * padding declared in the builder is what the profiler and shape inference see, so it must give the
 * same output size; the parameters ({@code weight}, {@code bias}) are DJL's, as in {@code Conv3d}.
 */
abstract class PaddedConv3d extends Convolution {
    private static final LayoutType[] LAYOUT = {LayoutType.BATCH, LayoutType.CHANNEL, LayoutType.DEPTH,
        LayoutType.HEIGHT, LayoutType.WIDTH};

    PaddedConv3d(Conv3d.Builder builder) {
        super(builder);
    }

    /** The N×C×T×H×W input, padded. */
    protected abstract NDArray pad(NDArray x);

    /** The padding the convolution still applies to the padded input. */
    protected abstract Shape remainingPadding();

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : parameterStore.getValue(bias, x.getDevice(), training);
        return GuardedConv3d.convolve(pad(x), w, b, stride, remainingPadding(), dilation, groups);
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

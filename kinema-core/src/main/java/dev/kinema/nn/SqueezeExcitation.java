package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Squeeze-and-excitation (Hu et al. 2018) for N×C×T×H×W maps: average every channel over the whole
 * clip, pass the C means through a 1×1×1 conv to {@code reduced} channels, ReLU, a 1×1×1 conv back
 * to C and a sigmoid, and scale each channel of the input by its gate.
 *
 * <p>Parameters are named as fvcore's {@code SqueezeExcitation} (used by PyTorchVideo's X3D):
 * {@code block.0} and {@code block.2} are the two biased convolutions. MACs are the two convolutions
 * on the 1×1×1 map ({@code 2·C·reduced}); the pooling and the scaling are not counted, as for every
 * other pooling and element-wise op. The layer table keeps the input's receptive field: the gate
 * depends on the whole clip, but only as one scale per channel.
 */
public class SqueezeExcitation extends AbstractBlock implements Profiled {
    private final long channels;
    private final long reduced;
    private final NamedSequential block;

    /** SE on {@code channels} channels with a bottleneck of {@code reduced}. */
    public SqueezeExcitation(long channels, long reduced) {
        if (channels < 1 || reduced < 1) {
            throw new IllegalArgumentException("squeeze-excitation needs channels >= 1, got " + channels + " -> " + reduced);
        }
        this.channels = channels;
        this.reduced = reduced;
        this.block = addChildBlock("block", NamedSequential.unit()
                .add("0", LayerFactory.djlConv(ConvSpec.conv3d(channels, reduced, 1, 1, 1).bias(true)))
                .add("1", new Elementwise("ReLU", Activation::relu))
                .add("2", LayerFactory.djlConv(ConvSpec.conv3d(reduced, channels, 1, 1, 1).bias(true)))
                .add("3", new Elementwise("Sigmoid", Activation::sigmoid)));
    }

    /**
     * The bottleneck width for {@code channels} channels and a ratio (1/16 in X3D), rounded as
     * PyTorchVideo's {@code round_width}: to the nearest multiple of 8, at least 8, and one multiple
     * more if rounding lost over 10% of the width.
     */
    public static long roundWidth(long channels, double ratio) {
        return roundWidth(channels, ratio, 8);
    }

    /** {@link #roundWidth(long, double)} with another divisor. */
    public static long roundWidth(long channels, double multiplier, int divisor) {
        double width = channels * multiplier;
        long out = Math.max(divisor, (long) (width + divisor / 2.0) / divisor * divisor);
        if (out < 0.9 * width) {
            out += divisor;
        }
        return out;
    }

    public long reduced() {
        return reduced;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 5) {
            throw new IllegalArgumentException("squeeze-excitation takes N×C×T×H×W, got " + x.getShape());
        }
        NDArray means = squeeze(x);
        NDArray gate = block.forward(parameterStore, new NDList(means), training, params).singletonOrThrow();
        return new NDList(x.mul(gate));
    }

    /**
     * Each channel's summary the gate is computed from: its mean over the whole clip, N×C×1×1×1. A
     * causal variant ({@link CausalSqueezeExcitation}) gives one per frame, N×C×T×1×1.
     */
    protected NDArray squeeze(NDArray x) {
        return x.mean(new int[] {2}, true).mean(new int[] {3}, true).mean(new int[] {4}, true);
    }

    /** Channels of the input. */
    public long channels() {
        return channels;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        block.initialize(manager, dataType, pooled(inputShapes[0]));
    }

    private static Shape pooled(Shape s) {
        return new Shape(s.get(0), s.get(1), 1, 1, 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != channels) {
            throw new IllegalArgumentException("squeeze-excitation for " + channels + " channels got " + in.shapeText());
        }
        profiler.visit(block, in.poolAll());
        return in;
    }

    @Override
    public String label(FeatureMap in) {
        return "SE(" + channels + "->" + reduced + "->" + channels + ")";
    }
}

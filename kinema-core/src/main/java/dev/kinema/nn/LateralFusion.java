package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * SlowFast's lateral connection: the fast pathway's features, brought to the slow pathway's frame
 * rate, are concatenated to the slow pathway's channels; the fast pathway goes on unchanged. Takes
 * and gives {@code [slow, fast]}.
 *
 * <p>Two ways to bring T down by α (Feichtenhofer et al. 2019, section 3.4):
 * {@link #timeStridedConv} (a learned T×1×1 convolution with temporal stride α, PyTorchVideo's
 * {@code FuseFastToSlow}, parameters named {@code conv_fast_to_slow} and {@code norm}) and
 * {@link #timeToChannel} (a reshape: each group of α consecutive fast frames becomes α times as many
 * channels at one slow frame; no parameters).
 *
 * <p>In a layer table the fusion is one row, shaped as what it feeds to the slow pathway.
 */
public abstract class LateralFusion extends AbstractBlock implements PathwayProfiled, Profiled {
    protected final int alpha;

    private LateralFusion(int alpha) {
        if (alpha < 1) {
            throw new IllegalArgumentException("alpha must be >= 1, got " + alpha);
        }
        this.alpha = alpha;
    }

    /**
     * Convolution (kernel {@code kernelT}×1×1, temporal stride α, "same" padding) from
     * {@code fastChannels} to {@code outChannels}, then the factory's normalisation and activation.
     */
    public static LateralFusion timeStridedConv(LayerFactory layers, long fastChannels, long outChannels, int kernelT,
            int alpha) {
        return new TimeStridedConv(layers, fastChannels, outChannels, kernelT, alpha);
    }

    /** Time folded into channels: {@code C×T×H×W} to {@code (C·α)×(T/α)×H×W}. */
    public static LateralFusion timeToChannel(int alpha) {
        return new TimeToChannel(alpha);
    }

    /** The fast features as fed to the slow pathway, N×C'×(T/α)×H×W. */
    protected abstract NDArray lateral(ParameterStore parameterStore, NDArray fast, boolean training,
            PairList<String, Object> params);

    /** The shape of {@link #lateral} for a fast pathway of shape {@code fast}. */
    protected abstract Shape lateralShape(Shape fast);

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        checkTwo(inputs.size());
        NDArray fused = lateral(parameterStore, inputs.get(1), training, params);
        return new NDList(NDArrays.concat(new NDList(inputs.get(0), fused), 1), inputs.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkTwo(inputShapes.length);
        Shape slow = inputShapes[0];
        Shape lateral = lateralShape(inputShapes[1]);
        long[] s = slow.getShape().clone();
        s[1] += lateral.get(1);
        return new Shape[] {new Shape(s), inputShapes[1]};
    }

    @Override
    public List<FeatureMap> profilePathways(String name, List<FeatureMap> in, Profiler profiler, boolean rows) {
        checkTwo(in.size());
        FeatureMap lateral = PathwayProfiled.account(profiler, rows, name, this, in.get(1));
        try {
            return List.of(PathwayProfiled.concatChannels(in.get(0), lateral), in.get(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("lateral connection " + name + ": the slow pathway is " + in.get(0).shapeText()
                    + " and the fast one, brought to its frame rate, is " + lateral.shapeText()
                    + " (the fast pathway's T must be alpha = " + alpha + " times the slow one's)", e);
        }
    }

    private static void checkTwo(int n) {
        if (n != 2) {
            throw new IllegalArgumentException("a lateral connection takes [slow, fast], got " + n + " pathways");
        }
    }

    private static final class TimeStridedConv extends LateralFusion {
        private final Block conv;
        private final Block norm;
        private final Block activation;
        private final int kernelT;

        TimeStridedConv(LayerFactory layers, long fastChannels, long outChannels, int kernelT, int alpha) {
            super(alpha);
            this.kernelT = kernelT;
            ConvSpec spec = new ConvSpec(3, fastChannels, outChannels, new Shape(kernelT, 1, 1), new Shape(alpha, 1, 1),
                    new Shape(kernelT / 2, 0, 0), false);
            this.conv = addChildBlock("conv_fast_to_slow", layers.conv(spec));
            this.norm = layers.norm(outChannels, 3).map(n -> addChildBlock("norm", n)).orElse(null);
            this.activation = addChildBlock("activation", layers.activation());
        }

        @Override
        protected NDArray lateral(ParameterStore parameterStore, NDArray fast, boolean training,
                PairList<String, Object> params) {
            NDList x = conv.forward(parameterStore, new NDList(fast), training, params);
            if (norm != null) {
                x = norm.forward(parameterStore, x, training, params);
            }
            return activation.forward(parameterStore, x, training, params).singletonOrThrow();
        }

        @Override
        protected Shape lateralShape(Shape fast) {
            return conv.getOutputShapes(new Shape[] {fast})[0];
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape fast = inputShapes[1];
            conv.initialize(manager, dataType, fast);
            Shape out = lateralShape(fast);
            if (norm != null) {
                norm.initialize(manager, dataType, out);
            }
            activation.initialize(manager, dataType, out);
        }

        @Override
        public FeatureMap profile(FeatureMap fast, Profiler profiler) {
            FeatureMap x = profiler.visit(conv, fast);
            if (norm != null) {
                x = profiler.visit(norm, x);
            }
            return profiler.visit(activation, x);
        }

        @Override
        public String label(FeatureMap fast) {
            return "FastToSlow(" + Profiler.label(conv, fast) + ")";
        }
    }

    private static final class TimeToChannel extends LateralFusion {
        TimeToChannel(int alpha) {
            super(alpha);
        }

        @Override
        protected NDArray lateral(ParameterStore parameterStore, NDArray fast, boolean training,
                PairList<String, Object> params) {
            Shape s = fast.getShape();
            Shape out = lateralShape(s);
            return fast.reshape(s.get(0), s.get(1), out.get(2), alpha, s.get(3), s.get(4)).swapAxes(2, 3).reshape(out);
        }

        @Override
        protected Shape lateralShape(Shape fast) {
            if (fast.get(2) % alpha != 0) {
                throw new IllegalArgumentException("time-to-channel needs the fast pathway's T divisible by alpha = " + alpha
                        + ", got " + fast);
            }
            return new Shape(fast.get(0), fast.get(1) * alpha, fast.get(2) / alpha, fast.get(3), fast.get(4));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            // no parameters
        }

        @Override
        public FeatureMap profile(FeatureMap fast, Profiler profiler) {
            long t = fast.opDims().get(0).size();
            if (t % alpha != 0) {
                throw new IllegalArgumentException("time-to-channel needs the fast pathway's T divisible by alpha = " + alpha
                        + ", got " + fast.shapeText());
            }
            return fast.slide(new Shape(alpha, 1, 1), new Shape(alpha, 1, 1), new Shape(0, 0, 0), new Shape(1, 1, 1))
                    .withChannels(fast.channels() * alpha);
        }

        @Override
        public String label(FeatureMap fast) {
            return "TimeToChannel(" + fast.channels() + "x" + alpha + ")";
        }
    }
}

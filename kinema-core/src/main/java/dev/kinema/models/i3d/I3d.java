package dev.kinema.models.i3d;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.ConvClassifier;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.GlobalAvgPool;
import dev.kinema.nn.GuardedConv3d;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * I3D (Carreira and Zisserman, CVPR 2017): Inception-v1 (GoogLeNet with BatchNorm) inflated to 3D.
 * Every conv is a unit of 3D conv, BatchNorm and ReLU; the first two max pools are 1×3×3 (no
 * pooling in time early on), the later ones 3×3×3 and 2×2×2; nine Inception ("Mixed") blocks; then
 * 2×7×7 average pooling, dropout, a 1×1×1 conv to the classes ({@code logits}, with bias, no norm)
 * and the logits averaged over the remaining time steps.
 *
 * <p>Modules are named as in the widely used PyTorch port (piergiaj/pytorch-i3d): {@code Conv3d_1a_7x7},
 * {@code MaxPool3d_2a_3x3}, {@code Conv3d_2b_1x1}, {@code Conv3d_2c_3x3}, {@code Mixed_3b} ..
 * {@code Mixed_5c} with branches {@code b0}, {@code b1a}, {@code b1b}, {@code b2a}, {@code b2b},
 * {@code b3a} (the pool), {@code b3b}, every unit holding {@code conv3d} and {@code bn}, and
 * {@code logits.conv3d}. So the parameter names are the port's {@code state_dict} keys.
 *
 * <p>Padding is TensorFlow's "SAME", as the port computes it from the input size (convs and max
 * pools pad so the output is {@code ceil(size / stride)}, the odd one at the end; pools pad with
 * zeros, harmless after a ReLU), so the port's weights compute the port's outputs. Two differences:
 * the average pool shrinks to the map when the clip is too small for 2×7×7 (a global average pool
 * then); and with the default {@link LayerFactory} the BatchNorm epsilon is the port's 1e-3 but its
 * momentum stays Kinema's (torch's 0.1; the port's 0.01) because short runs on small data need
 * running statistics that follow the weights. The convolutions come from the port's definition
 * rather than the {@link LayerFactory}; its norm and activation apply.
 *
 * <p>RGB input has 3 channels; optical flow (x, y) 2, the only difference being {@code Conv3d_1a_7x7}'s
 * input channels: {@code i3d} takes the config's channels, {@code i3d-flow} always 2.
 */
final class I3d {
    /** The port's dropout before the logits (its {@code dropout_keep_prob} is passed as the drop rate). */
    static final float DROPOUT = 0.5f;
    /** The final average pool: 2 steps of time, 7×7 pixels (the map of a 64×224×224 clip is 8×7×7). */
    static final long[] AVG_POOL = {2, 7, 7};

    /**
     * The layers after {@code MaxPool3d_3a_3x3}: Inception blocks with their widths (b0, b1a, b1b,
     * b2a, b2b, b3b), and the two pools between them (no widths).
     */
    private record Stage(String name, int... widths) {
        boolean isPool() {
            return widths.length == 0;
        }
    }

    private static final List<Stage> STAGES = List.of(
            new Stage("Mixed_3b", 64, 96, 128, 16, 32, 32),
            new Stage("Mixed_3c", 128, 128, 192, 32, 96, 64),
            new Stage("MaxPool3d_4a_3x3"),
            new Stage("Mixed_4b", 192, 96, 208, 16, 48, 64),
            new Stage("Mixed_4c", 160, 112, 224, 24, 64, 64),
            new Stage("Mixed_4d", 128, 128, 256, 24, 64, 64),
            new Stage("Mixed_4e", 112, 144, 288, 32, 64, 64),
            new Stage("Mixed_4f", 256, 160, 320, 32, 128, 128),
            new Stage("MaxPool3d_5a_2x2"),
            new Stage("Mixed_5b", 256, 160, 320, 32, 128, 128),
            new Stage("Mixed_5c", 384, 192, 384, 48, 128, 128));

    private I3d() {}

    static VideoModel rgb(ModelConfig c) {
        return create("i3d", c);
    }

    static VideoModel flow(ModelConfig c) {
        return create("i3d-flow", c.toBuilder().optChannels(2).build());
    }

    static VideoModel create(String name, ModelConfig c) {
        Units u = new Units(c.layers());
        NamedSequential features = NamedSequential.layers()
                .add("Conv3d_1a_7x7", u.unit(ConvSpec.conv3d(c.channels(), 64, 7, 7, 7).stride(2)))
                .add("MaxPool3d_2a_3x3", spatialPool())
                .add("Conv3d_2b_1x1", u.unit(ConvSpec.conv3d(64, 64, 1, 1, 1)))
                .add("Conv3d_2c_3x3", u.unit(ConvSpec.conv3d(64, 192, 3, 3, 3)))
                .add("MaxPool3d_3a_3x3", spatialPool());
        long in = 192;
        for (Stage stage : STAGES) {
            if (stage.isPool()) {
                Shape kernel = stage.name().endsWith("2x2") ? new Shape(2, 2, 2) : new Shape(3, 3, 3);
                features.add(stage.name(), new SamePool(kernel, new Shape(2, 2, 2)));
            } else {
                InceptionBlock mixed = new InceptionBlock(u, in, stage.widths());
                features.add(stage.name(), mixed);
                in = mixed.outChannels();
            }
        }
        NamedSequential head = NamedSequential.layers()
                .add("avg_pool", Pooling.avg(averagePool(features, c), new Shape(1, 1, 1), new Shape(0, 0, 0)))
                .add("dropout", Dropout.builder().optRate(DROPOUT).build())
                .add("logits", NamedSequential.unit()
                        .add("conv3d", new ConvClassifier(c.numClasses())))
                .add("average", new GlobalAvgPool())
                .add("flatten", new Flatten());
        return new VideoModel(name, c, features, head);
    }

    private static SamePool spatialPool() {
        return new SamePool(new Shape(1, 3, 3), new Shape(1, 2, 2));
    }

    /** A 3D convolution padded TensorFlow's "SAME" way, as the port's {@code Unit3D}. */
    static Block sameConv(ConvSpec spec) {
        return new SameConv3d(Conv3d.builder().setFilters(Math.toIntExact(spec.outChannels())).setKernelShape(spec.kernel())
                .optStride(spec.stride()).optPadding(spec.padding()).optBias(spec.bias()));
    }

    /**
     * TensorFlow's "SAME" padding along one axis of {@code size}: the total that makes the output
     * {@code ceil(size / stride)}, split with the odd one at the end. As the port computes it.
     */
    static long[] samePadding(long size, long kernel, long stride) {
        long total = size % stride == 0 ? Math.max(kernel - stride, 0) : Math.max(kernel - size % stride, 0);
        return new long[] {total / 2, total - total / 2};
    }

    /** {@code x} (N×C×T×H×W) zero-padded for a SAME window of {@code kernel} and {@code stride}. */
    private static NDArray padSame(NDArray x, Shape kernel, Shape stride) {
        long[] pads = new long[6];   // W, H, T pairs: the last axis first, as torch's pad
        boolean any = false;
        for (int axis = 0; axis < 3; axis++) {
            long[] p = samePadding(x.getShape().get(2 + axis), kernel.get(axis), stride.get(axis));
            pads[2 * (2 - axis)] = p[0];
            pads[2 * (2 - axis) + 1] = p[1];
            any |= p[0] + p[1] > 0;
        }
        return any ? x.pad(new Shape(pads), 0) : x;
    }

    /**
     * A 3D convolution that pads its input TensorFlow's "SAME" way before convolving (no padding of
     * its own). The declared padding ({@code k / 2}) is what the profiler and shape inference see:
     * for odd kernels it gives the same output size, {@code ceil(size / stride)}.
     */
    static final class SameConv3d extends GuardedConv3d {
        private static final Shape NO_PADDING = new Shape(0, 0, 0);

        SameConv3d(Conv3d.Builder builder) {
            super(builder);
            for (long k : kernelShape.getShape()) {
                if (k % 2 == 0) {
                    throw new IllegalArgumentException("SAME padding is declared as k / 2 only for odd kernels, got "
                            + kernelShape);
                }
            }
        }

        @Override
        protected NDArray padInput(NDArray x) {
            return padSame(x, kernelShape, stride);
        }

        @Override
        protected Shape remainingPadding() {
            return NO_PADDING;
        }
    }

    /** 3D max pooling with the port's "SAME" padding (zeros, which after a ReLU never win a max). */
    static final class SamePool extends AbstractBlock implements Profiled {
        private final Shape kernel;
        private final Shape stride;
        private final Pooling unpadded;

        SamePool(Shape kernel, Shape stride) {
            this.kernel = kernel;
            this.stride = stride;
            this.unpadded = Pooling.max(kernel, stride, new Shape(0, 0, 0));
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            return unpadded.forward(parameterStore, new NDList(padSame(inputs.singletonOrThrow(), kernel, stride)), training,
                    params);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            long[] s = inputShapes[0].getShape().clone();   // DJL's Shape hands out its own array
            for (int axis = 0; axis < 3; axis++) {
                s[2 + axis] = Math.floorDiv(s[2 + axis] + stride.get(axis) - 1, stride.get(axis));
            }
            return new Shape[] {new Shape(s)};
        }

        /** SAME's total padding makes {@code size + total - kernel} a multiple of the stride, so half of it, rounded up, gives the same size. */
        @Override
        public FeatureMap profile(FeatureMap in, Profiler profiler) {
            List<dev.kinema.nn.Dim> dims = in.opDims();
            if (dims.size() != 3) {
                throw new IllegalArgumentException("a 3D pooling takes maps with T, H and W, the map is " + in.shapeText());
            }
            long[] pad = new long[3];
            for (int axis = 0; axis < 3; axis++) {
                long[] p = samePadding(dims.get(axis).size(), kernel.get(axis), stride.get(axis));
                pad[axis] = (p[0] + p[1] + 1) / 2;
            }
            return in.slide(kernel, stride, new Shape(pad), new Shape(1, 1, 1));
        }

        @Override
        public String label(FeatureMap in) {
            return "MaxPool3D(" + Profiler.dims(kernel) + (stride.equals(kernel) ? "" : ", stride " + Profiler.dims(stride))
                    + ", same)";
        }
    }

    /** 2×7×7, or the whole map along an axis shorter than that (small clips). */
    private static Shape averagePool(Block features, ModelConfig c) {
        long[] map;
        try {
            map = Profiler.profile(features, c.inputShape()).outputShape();
        } catch (IllegalArgumentException e) {
            return new Shape(AVG_POOL);   // too small a clip: the registry reports where it stops fitting
        }
        long[] k = new long[3];
        for (int i = 0; i < 3; i++) {
            k[i] = Math.min(AVG_POOL[i], map[i + 1]);
        }
        return new Shape(k);
    }

    /** Conv3d + BatchNorm + activation units named as the port's {@code Unit3D}: {@code conv3d}, {@code bn}. */
    private static final class Units {
        private final LayerFactory layers;

        Units(LayerFactory layers) {
            this.layers = layers;
        }

        NamedSequential unit(ConvSpec spec) {
            NamedSequential unit = NamedSequential.unit().add("conv3d", sameConv(spec.bias(!layers.hasNorm())));
            norm(spec.outChannels()).ifPresent(n -> unit.add("bn", n));
            return unit.add("act", layers.activation());
        }

        private java.util.Optional<Block> norm(long channels) {
            if (layers == LayerFactory.defaults()) {
                return java.util.Optional.of(BatchNorm.builder().optEpsilon(1e-3f).build());
            }
            return layers.norm(channels, 3);
        }
    }

    /**
     * An Inception block: four branches on the same input, concatenated along channels. b0: 1×1×1;
     * b1: 1×1×1 then 3×3×3; b2: 1×1×1 then 3×3×3; b3: 3×3×3 max pool (stride 1) then 1×1×1.
     */
    static final class InceptionBlock extends AbstractBlock implements Profiled {
        private final long in;
        private final long out;
        private final List<List<Block>> branches = new ArrayList<>();

        InceptionBlock(Units u, long in, int[] w) {
            this.in = in;
            this.out = (long) w[0] + w[2] + w[4] + w[5];
            branches.add(List.of(addChildBlock("b0", u.unit(ConvSpec.conv3d(in, w[0], 1, 1, 1)))));
            branches.add(List.of(addChildBlock("b1a", u.unit(ConvSpec.conv3d(in, w[1], 1, 1, 1))),
                    addChildBlock("b1b", u.unit(ConvSpec.conv3d(w[1], w[2], 3, 3, 3)))));
            branches.add(List.of(addChildBlock("b2a", u.unit(ConvSpec.conv3d(in, w[3], 1, 1, 1))),
                    addChildBlock("b2b", u.unit(ConvSpec.conv3d(w[3], w[4], 3, 3, 3)))));
            branches.add(List.of(addChildBlock("b3a", new SamePool(new Shape(3, 3, 3), new Shape(1, 1, 1))),
                    addChildBlock("b3b", u.unit(ConvSpec.conv3d(in, w[5], 1, 1, 1)))));
        }

        long outChannels() {
            return out;
        }

        @Override
        protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDList outs = new NDList();
            for (List<Block> branch : branches) {
                NDList x = inputs;
                for (Block b : branch) {
                    x = b.forward(parameterStore, x, training, params);
                }
                outs.add(x.singletonOrThrow());
            }
            return new NDList(NDArrays.concat(outs, 1));
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            for (List<Block> branch : branches) {
                Shape[] shapes = inputShapes;
                for (Block b : branch) {
                    b.initialize(manager, dataType, shapes);
                    shapes = b.getOutputShapes(shapes);
                }
            }
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape[] shapes = inputShapes;
            for (Block b : branches.get(0)) {
                shapes = b.getOutputShapes(shapes);
            }
            long[] s = shapes[0].getShape().clone();
            s[1] = out;
            return new Shape[] {new Shape(s)};
        }

        /** Channels add up; each unit sees as far as its widest branch (the 3×3×3 ones). */
        @Override
        public FeatureMap profile(FeatureMap x, Profiler profiler) {
            FeatureMap widest = null;
            for (List<Block> branch : branches) {
                FeatureMap y = x;
                for (Block b : branch) {
                    y = profiler.visit(b, y);
                }
                if (widest != null && !Arrays.equals(Arrays.copyOfRange(y.shape(), 1, y.shape().length),
                        Arrays.copyOfRange(widest.shape(), 1, widest.shape().length))) {
                    throw new IllegalArgumentException("Inception branches disagree: " + y.shapeText() + " vs "
                            + widest.shapeText());
                }
                if (widest == null || volume(y.receptiveField()) > volume(widest.receptiveField())) {
                    widest = y;
                }
            }
            return widest.withChannels(out);
        }

        private static long volume(long[] rf) {
            long v = 1;
            for (long r : rf) {
                v *= r;
            }
            return v;
        }

        @Override
        public String label(FeatureMap x) {
            return "Inception(" + in + "->" + out + ")";
        }
    }
}

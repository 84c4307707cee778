package dev.kinema.models;

import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.GlobalAvgPool;
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
 * <p>Differences from the port, all numeric, none in the parameters: padding is symmetric
 * ({@code k / 2}, PyTorch style) where the port pads TensorFlow's "SAME" way (one more at the end for
 * even sizes at stride 2), which gives the same output sizes for the default clip but windows offset
 * by one pixel at stride-2 layers; the average pool shrinks to the map when the clip is too small
 * for 2×7×7 (a global average pool then); and with the default {@link LayerFactory} the BatchNorm
 * epsilon is the port's 1e-3 but its momentum stays Kinema's (torch's 0.1, the port's is 0.01)
 * because short runs on small data need running statistics that follow the weights.
 *
 * <p>RGB input has 3 channels; optical flow (x, y) 2, the only difference being {@code Conv3d_1a_7x7}'s
 * input channels: {@code i3d} takes the config's channels, {@code i3d-flow} always 2.
 */
final class I3d {
    /** The port's dropout before the logits (its {@code dropout_keep_prob} is passed as the drop rate). */
    static final float DROPOUT = 0.5f;
    /** The final average pool: 2 steps of time, 7×7 pixels (the map of a 64×224×224 clip is 8×7×7). */
    static final long[] AVG_POOL = {2, 7, 7};

    /** The Mixed blocks: name and the six widths b0, b1a, b1b, b2a, b2b, b3b. */
    private static final Object[][] MIXED = {
        {"Mixed_3b", new int[] {64, 96, 128, 16, 32, 32}},
        {"Mixed_3c", new int[] {128, 128, 192, 32, 96, 64}},
        {"MaxPool3d_4a_3x3", null},
        {"Mixed_4b", new int[] {192, 96, 208, 16, 48, 64}},
        {"Mixed_4c", new int[] {160, 112, 224, 24, 64, 64}},
        {"Mixed_4d", new int[] {128, 128, 256, 24, 64, 64}},
        {"Mixed_4e", new int[] {112, 144, 288, 32, 64, 64}},
        {"Mixed_4f", new int[] {256, 160, 320, 32, 128, 128}},
        {"MaxPool3d_5a_2x2", null},
        {"Mixed_5b", new int[] {256, 160, 320, 32, 128, 128}},
        {"Mixed_5c", new int[] {384, 192, 384, 48, 128, 128}},
    };

    private I3d() {}

    static VideoModel rgb(ModelConfig c) {
        return create("i3d", c);
    }

    static VideoModel flow(ModelConfig c) {
        return create("i3d-flow", c.toBuilder().optChannels(2).build());
    }

    /** The widths of every Mixed block, in order (b0, b1a, b1b, b2a, b2b, b3b). */
    static List<int[]> mixedWidths() {
        List<int[]> l = new ArrayList<>();
        for (Object[] m : MIXED) {
            if (m[1] != null) {
                l.add(((int[]) m[1]).clone());
            }
        }
        return l;
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
        for (Object[] m : MIXED) {
            String block = (String) m[0];
            if (m[1] == null) {
                features.add(block, block.endsWith("2x2") ? Pooling.max(new Shape(2, 2, 2))
                        : Pooling.max(new Shape(3, 3, 3), new Shape(2, 2, 2), new Shape(1, 1, 1)));
            } else {
                InceptionBlock mixed = new InceptionBlock(u, in, (int[]) m[1]);
                features.add(block, mixed);
                in = mixed.outChannels();
            }
        }
        NamedSequential head = NamedSequential.layers()
                .add("avg_pool", Pooling.avg(averagePool(features, c), new Shape(1, 1, 1), new Shape(0, 0, 0)))
                .add("dropout", Dropout.builder().optRate(DROPOUT).build())
                .add("logits", NamedSequential.unit()
                        .add("conv3d", LayerFactory.djlConv(ConvSpec.conv3d(in, c.numClasses(), 1, 1, 1).bias(true))))
                .add("average", new GlobalAvgPool())
                .add("flatten", new Flatten());
        return new VideoModel(name, c, features, head);
    }

    private static Pooling spatialPool() {
        return Pooling.max(new Shape(1, 3, 3), new Shape(1, 2, 2), new Shape(0, 1, 1));
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
            NamedSequential unit = NamedSequential.unit().add("conv3d", layers.conv(spec));
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
            branches.add(List.of(addChildBlock("b3a", Pooling.max(new Shape(3, 3, 3), new Shape(1, 1, 1), new Shape(1, 1, 1))),
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
            long[] s = shapes[0].getShape();
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

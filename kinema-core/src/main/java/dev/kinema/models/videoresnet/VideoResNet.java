package dev.kinema.models.videoresnet;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Residual;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The video ResNets of Tran et al., "A Closer Look at Spatiotemporal Convolutions for Action
 * Recognition" (CVPR 2018), in torchvision's shape: one network (stem, four stages of residual
 * blocks of 64, 128, 256 and 512 channels, global average pool, linear) whose blocks take their
 * 3×3×3-equivalent convolution from a {@link ConvMaker}:
 * <ul>
 *   <li>{@code r3d_18}: full 3×3×3 convolutions everywhere;</li>
 *   <li>{@code mc3_18}: mixed convolutions, 3D in the stem and stage 1, 2D (1×3×3) in stages 2 to 4;</li>
 *   <li>{@code r2plus1d_18}, {@code r2plus1d_34}: every 3×3×3 convolution factored into a 1×3×3
 *       spatial one to M channels, BatchNorm, ReLU and a 3×1×1 temporal one, with M chosen so the
 *       pair has as many parameters as the 3D convolution it replaces ({@link #midplanes}).</li>
 * </ul>
 *
 * <p>Blocks are named as torchvision's modules ({@code stem.0}, {@code layer2.0.conv1.0.3},
 * {@code layer2.0.downsample.1}, {@code fc}), so {@link dev.kinema.weights.ParameterNames} gives
 * exactly torchvision's {@code state_dict} keys (without {@code num_batches_tracked}) and parameter
 * counts match: r3d_18 33,371,472; mc3_18 11,695,440; r2plus1d_18 31,505,325; r2plus1d_34
 * 61,831,661 (400 classes). Stages 2 to 4 halve T as well as H and W, except in mc3_18, whose 2D
 * stages keep T.
 */
public final class VideoResNet {
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private VideoResNet() {}

    /** How a block makes its 3×3×3-equivalent convolution (torchvision's {@code conv_builder}). */
    public enum ConvMaker {
        /** A 3×3×3 convolution; stride s along T, H and W. */
        CONV_3D {
            @Override
            public Block make(LayerFactory layers, long in, long out, long mid, int stride) {
                return layers.conv(new ConvSpec(3, in, out, new Shape(3, 3, 3), new Shape(stride, stride, stride),
                        new Shape(1, 1, 1), false));
            }

            @Override
            public Shape downsampleStride(int stride) {
                return new Shape(stride, stride, stride);
            }
        },
        /** A 1×3×3 convolution (2D, frame by frame); stride only along H and W. */
        CONV_NO_TEMPORAL {
            @Override
            public Block make(LayerFactory layers, long in, long out, long mid, int stride) {
                return layers.conv(new ConvSpec(3, in, out, new Shape(1, 3, 3), new Shape(1, stride, stride),
                        new Shape(0, 1, 1), false));
            }

            @Override
            public Shape downsampleStride(int stride) {
                return new Shape(1, stride, stride);
            }
        },
        /**
         * (2+1)D: a 1×3×3 convolution to {@code mid} channels (stride along H and W), norm,
         * activation, then a 3×1×1 convolution (stride along T); children {@code 0}, {@code 1},
         * {@code 2}, {@code 3} as torchvision's {@code Conv2Plus1D}.
         */
        CONV_2PLUS1D {
            @Override
            public Block make(LayerFactory layers, long in, long out, long mid, int stride) {
                NamedSequential conv = NamedSequential.unit();
                conv.add("0", layers.conv(new ConvSpec(3, in, mid, new Shape(1, 3, 3), new Shape(1, stride, stride),
                        new Shape(0, 1, 1), false)));
                layers.norm(mid, 3).ifPresent(n -> conv.add("1", n));
                conv.add("2", layers.activation());
                conv.add("3", layers.conv(new ConvSpec(3, mid, out, new Shape(3, 1, 1), new Shape(stride, 1, 1),
                        new Shape(1, 0, 0), false)));
                return conv;
            }

            @Override
            public Shape downsampleStride(int stride) {
                return new Shape(stride, stride, stride);
            }
        };

        /**
         * The convolution from {@code in} to {@code out} channels with stride {@code stride};
         * {@code mid} is the (2+1)D intermediate width (ignored by the others).
         */
        public abstract Block make(LayerFactory layers, long in, long out, long mid, int stride);

        /** The stride of the 1×1×1 projection shortcut when the block's stride is {@code stride}. */
        public abstract Shape downsampleStride(int stride);
    }

    /** The first layer(s), to 64 channels at half the spatial resolution. */
    public enum Stem {
        /** Conv 3×7×7 (stride 1×2×2, padding 1×3×3), norm, activation: torchvision's {@code BasicStem}. */
        BASIC {
            @Override
            NamedSequential make(LayerFactory layers, long inChannels) {
                NamedSequential stem = NamedSequential.unit();
                stem.add("0", layers.conv(new ConvSpec(3, inChannels, 64, new Shape(3, 7, 7), new Shape(1, 2, 2),
                        new Shape(1, 3, 3), false)));
                layers.norm(64, 3).ifPresent(n -> stem.add("1", n));
                return stem.add("2", layers.activation());
            }
        },
        /**
         * (2+1)D: conv 1×7×7 to 45 channels (stride 1×2×2), norm, activation, conv 3×1×1 to 64,
         * norm, activation: torchvision's {@code R2Plus1dStem}.
         */
        R2PLUS1D {
            @Override
            NamedSequential make(LayerFactory layers, long inChannels) {
                NamedSequential stem = NamedSequential.unit();
                stem.add("0", layers.conv(new ConvSpec(3, inChannels, 45, new Shape(1, 7, 7), new Shape(1, 2, 2),
                        new Shape(0, 3, 3), false)));
                layers.norm(45, 3).ifPresent(n -> stem.add("1", n));
                stem.add("2", layers.activation());
                stem.add("3", layers.conv(new ConvSpec(3, 45, 64, new Shape(3, 1, 1), new Shape(1, 1, 1),
                        new Shape(1, 0, 0), false)));
                layers.norm(64, 3).ifPresent(n -> stem.add("4", n));
                return stem.add("5", layers.activation());
            }
        };

        abstract NamedSequential make(LayerFactory layers, long inChannels);
    }

    /**
     * The (2+1)D intermediate width for a block from {@code in} to {@code out} channels, chosen so
     * that a 1×3×3 convolution to M channels and a 3×1×1 one from M have about the parameters of a
     * 3×3×3 convolution: {@code M = floor(27 in out / (9 in + 3 out))} (the paper's formula, with
     * torchvision's choice of using the block's input width for both of its convolutions).
     */
    public static long midplanes(long in, long out) {
        return in * out * 3 * 3 * 3 / (in * 3 * 3 + 3 * out);
    }

    /**
     * A video ResNet of basic blocks.
     *
     * @param name the model's name
     * @param stem the first layers
     * @param makers one conv maker per stage (four)
     * @param blocks blocks per stage (four), e.g. {2, 2, 2, 2} for the 18-layer networks
     */
    public static VideoModel create(String name, ModelConfig c, Stem stem, List<ConvMaker> makers, int[] blocks) {
        if (makers.size() != WIDTHS.length || blocks.length != WIDTHS.length) {
            throw new IllegalArgumentException("a video ResNet has 4 stages, got " + makers.size() + " conv makers and "
                    + blocks.length + " block counts");
        }
        LayerFactory layers = c.layers();
        NamedSequential features = NamedSequential.layers().add("stem", stem.make(layers, c.channels()));
        long in = 64;
        for (int s = 0; s < WIDTHS.length; s++) {
            if (blocks[s] < 1) {
                throw new IllegalArgumentException("every stage needs a block, got " + Arrays.toString(blocks));
            }
            NamedSequential stage = NamedSequential.layers();
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                stage.add(Integer.toString(b), basicBlock(layers, makers.get(s), in, WIDTHS[s], stride));
                in = WIDTHS[s];
            }
            features.add("layer" + (s + 1), stage);
        }
        return new VideoModel(name, c, features, LinearHead.pooled("avgpool", c.numClasses()));
    }

    /** R3D-18: 3D convolutions throughout. */
    static VideoModel r3d18(ModelConfig c) {
        return create("r3d_18", c, Stem.BASIC, List.of(ConvMaker.CONV_3D, ConvMaker.CONV_3D, ConvMaker.CONV_3D,
                ConvMaker.CONV_3D), new int[] {2, 2, 2, 2});
    }

    /** MC3-18: 3D convolutions in the stem and stage 1, 2D (1×3×3) in stages 2 to 4. */
    static VideoModel mc318(ModelConfig c) {
        return create("mc3_18", c, Stem.BASIC, List.of(ConvMaker.CONV_3D, ConvMaker.CONV_NO_TEMPORAL,
                ConvMaker.CONV_NO_TEMPORAL, ConvMaker.CONV_NO_TEMPORAL), new int[] {2, 2, 2, 2});
    }

    /** R(2+1)D-18: (2+1)D stem and convolutions. */
    static VideoModel r2plus1d18(ModelConfig c) {
        return create("r2plus1d_18", c, Stem.R2PLUS1D, List.of(ConvMaker.CONV_2PLUS1D, ConvMaker.CONV_2PLUS1D,
                ConvMaker.CONV_2PLUS1D, ConvMaker.CONV_2PLUS1D), new int[] {2, 2, 2, 2});
    }

    /** R(2+1)D-34: (2+1)D with 3, 4, 6 and 3 blocks per stage. */
    static VideoModel r2plus1d34(ModelConfig c) {
        return create("r2plus1d_34", c, Stem.R2PLUS1D, List.of(ConvMaker.CONV_2PLUS1D, ConvMaker.CONV_2PLUS1D,
                ConvMaker.CONV_2PLUS1D, ConvMaker.CONV_2PLUS1D), new int[] {3, 4, 6, 3});
    }

    /**
     * torchvision's video {@code BasicBlock}: {@code relu(conv2(conv1(x)) + downsample(x))}, where
     * {@code conv1} is conv, norm, activation; {@code conv2} is conv, norm; and {@code downsample} a
     * strided 1×1×1 conv and norm where the shape changes (otherwise the identity). One table row.
     */
    static Residual basicBlock(LayerFactory layers, ConvMaker maker, long in, long out, int stride) {
        long mid = midplanes(in, out);
        String label = "BasicBlock(" + in + "->" + out + (stride != 1 ? ", stride " + stride : "") + ", "
                + maker.name().toLowerCase(Locale.ROOT).replace("conv_", "") + ")";
        Residual.Builder block = Residual.builder(label)
                .branch("conv1", convNorm(layers, maker.make(layers, in, out, mid, stride), out)
                        .add("2", layers.activation()))
                .branch("conv2", convNorm(layers, maker.make(layers, out, out, mid, 1), out))
                .activation("relu", layers.activation());
        if (stride != 1 || in != out) {
            NamedSequential projection = NamedSequential.unit().add("0", layers.conv(new ConvSpec(3, in, out,
                    new Shape(1, 1, 1), maker.downsampleStride(stride), new Shape(0, 0, 0), false)));
            layers.norm(out, 3).ifPresent(n -> projection.add("1", n));
            block.shortcut("downsample", projection);
        }
        return block.build();
    }

    private static NamedSequential convNorm(LayerFactory layers, Block conv, long channels) {
        NamedSequential unit = NamedSequential.unit().add("0", conv);
        layers.norm(channels, 3).ifPresent(n -> unit.add("1", n));
        return unit;
    }
}

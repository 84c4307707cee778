package dev.kinema.models.x3d;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.nn.norm.Dropout;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.GlobalAvgPool;
import dev.kinema.nn.GuardedConv3d;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Residual;
import dev.kinema.nn.SqueezeExcitation;
import dev.kinema.nn.Swish;

/**
 * X3D (Feichtenhofer, CVPR 2020) as PyTorchVideo's {@code create_x3d} builds {@code x3d_xs},
 * {@code x3d_s} and {@code x3d_m}: the same network (width factor 2, depth factor 2.2, bottleneck
 * expansion 2.25, 3.79M parameters) on different clips, 4×160², 13×160² and 16×224².
 *
 * <ul>
 *   <li>Stem: a 1×3×3 convolution (stride 1×2×2) to 24 channels, then a depthwise 5×1×1 one.
 *   <li>Four stages of 3, 5, 11 and 7 bottlenecks (1, 2, 5, 3 times 2.2, rounded up), 24, 48, 96 and
 *       192 channels, spatial stride 2 in each first block: 1×1×1 conv, depthwise 3×3×3 conv,
 *       squeeze-excitation (ratio 1/16, every other block) and Swish, 1×1×1 conv.
 *   <li>Head: 1×1×1 conv to 432, global pool, 1×1×1 conv to 2048 (no norm), dropout 0.5, linear.
 * </ul>
 *
 * <p>Parameters are named as PyTorchVideo names them, including its stem's quirk: the spatial
 * convolution is called {@code blocks.0.conv.conv_t} and the temporal one {@code conv_xy}. The head
 * pools globally where PyTorchVideo pools a fixed window (the same on the default clip), and it has
 * no softmax: Kinema's models give logits (PyTorchVideo's X3D ends in a softmax).
 *
 * <p>Depthwise convolutions are DJL {@code Conv3d}s with one group per channel, built here rather
 * than by the {@link LayerFactory}, whose {@link ConvSpec} has no groups.
 */
public final class X3d {
    /** Blocks per stage before the depth factor. */
    static final int[] BASE_DEPTHS = {1, 2, 5, 3};
    static final double WIDTH_FACTOR = 2.0;
    static final double DEPTH_FACTOR = 2.2;
    static final double BOTTLENECK_FACTOR = 2.25;
    static final double SE_RATIO = 1.0 / 16;
    private static final int STEM_BASE_WIDTH = 12;
    private static final int HEAD_WIDTH = 2048;

    private X3d() {}

    static VideoModel xs(ModelConfig c) {
        return build("x3d_xs", c);
    }

    static VideoModel s(ModelConfig c) {
        return build("x3d_s", c);
    }

    static VideoModel m(ModelConfig c) {
        return build("x3d_m", c);
    }

    /** Blocks in each stage: {@code ceil(2.2 · (1, 2, 5, 3))} = 3, 5, 11, 7 (PyTorchVideo's {@code round_repeats}). */
    public static int[] stageDepths() {
        int[] d = new int[BASE_DEPTHS.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = (int) Math.ceil(DEPTH_FACTOR * BASE_DEPTHS[i]);
        }
        return d;
    }

    /** Output channels of each stage: 12, 24, 48, 96 (each doubled, rounded to 8) times the width factor. */
    public static long[] stageWidths() {
        long[] w = new long[BASE_DEPTHS.length];
        long base = STEM_BASE_WIDTH;
        for (int i = 0; i < w.length; i++) {
            w[i] = SqueezeExcitation.roundWidth(base, WIDTH_FACTOR);
            base = SqueezeExcitation.roundWidth(base, 2.0);
        }
        return w;
    }

    /** The X3D network (the one architecture of XS, S and M) for {@code c}, called {@code name}. */
    public static VideoModel build(String name, ModelConfig c) {
        LayerFactory layers = c.layers();
        NamedSequential blocks = NamedSequential.layers();
        long stemWidth = SqueezeExcitation.roundWidth(STEM_BASE_WIDTH, WIDTH_FACTOR);
        blocks.add("0", stem(layers, c.channels(), stemWidth));
        int[] depths = stageDepths();
        long[] widths = stageWidths();
        long in = stemWidth;
        long inner = 0;
        for (int s = 0; s < depths.length; s++) {
            inner = (long) (BOTTLENECK_FACTOR * widths[s]);
            NamedSequential resBlocks = NamedSequential.layers();
            for (int i = 0; i < depths[s]; i++) {
                resBlocks.add(Integer.toString(i), block(layers, i == 0 ? in : widths[s], inner, widths[s],
                        i == 0 ? 2 : 1, i % 2 == 0));
            }
            blocks.add(Integer.toString(s + 1), NamedSequential.layers().add("res_blocks", resBlocks));
            in = widths[s];
        }
        NamedSequential features = NamedSequential.layers().add("blocks", blocks);
        NamedSequential pool = NamedSequential.layers();
        pool.add("pre_conv", conv1x1(layers, in, inner));
        layers.norm(inner, 3).ifPresent(n -> pool.add("pre_norm", n));
        pool.add("pre_act", layers.activation())
                .add("pool", new GlobalAvgPool())
                // No norm after post_conv (PyTorchVideo's bn_lin5_on=False) and, with the default factory, no bias either.
                .add("post_conv", conv1x1(layers, inner, HEAD_WIDTH))
                .add("post_act", layers.activation());
        NamedSequential head = NamedSequential.layers().add("blocks", NamedSequential.layers()
                .add("5", NamedSequential.layers()
                        .add("pool", pool)
                        .add("dropout", Dropout.builder().optRate(0.5f).build())
                        .add("flatten", new Flatten())
                        .add("proj", new LinearClassifier(c.numClasses()))));
        return new VideoModel(name, c, features, head);
    }

    /** Spatial 1×3×3 conv (stride 1×2×2), depthwise temporal 5×1×1 conv, norm, activation. */
    private static NamedSequential stem(LayerFactory layers, long in, long out) {
        NamedSequential conv = NamedSequential.layers()
                .add("conv_t", layers.conv(new ConvSpec(3, in, out, new Shape(1, 3, 3), new Shape(1, 2, 2),
                        new Shape(0, 1, 1), false)))
                .add("conv_xy", depthwise(layers, out, new Shape(5, 1, 1), new Shape(1, 1, 1)));
        NamedSequential stem = NamedSequential.unit().add("conv", conv);
        layers.norm(out, 3).ifPresent(n -> stem.add("norm", n));
        return stem.add("activation", layers.activation());
    }

    private static Block depthwise(LayerFactory layers, long channels, Shape kernel, Shape stride) {
        Shape padding = new Shape(kernel.get(0) / 2, kernel.get(1) / 2, kernel.get(2) / 2);
        return GuardedConv3d.of(Conv3d.builder().setFilters(Math.toIntExact(channels)).setKernelShape(kernel)
                .optStride(stride).optPadding(padding).optGroups(Math.toIntExact(channels)).optBias(!layers.hasNorm()));
    }

    private static Block conv1x1(LayerFactory layers, long in, long out) {
        return layers.conv(ConvSpec.conv3d(in, out, 1, 1, 1));
    }

    /**
     * X3D's residual bottleneck: 1×1×1 conv, norm, ReLU; depthwise 3×3×3 conv (spatial stride), norm,
     * squeeze-excitation where {@code se}, Swish; 1×1×1 conv, norm; ReLU after the sum. The shortcut
     * is a strided 1×1×1 conv where stride or width change, normalised only where the width changes
     * (as in PyTorchVideo: the first block of the first stage has a projection without norm).
     */
    private static Residual block(LayerFactory layers, long in, long inner, long out, int stride, boolean se) {
        NamedSequential branch2 = NamedSequential.unit().add("conv_a", conv1x1(layers, in, inner));
        layers.norm(inner, 3).ifPresent(n -> branch2.add("norm_a", n));
        branch2.add("act_a", layers.activation())
                .add("conv_b", depthwise(layers, inner, new Shape(3, 3, 3), new Shape(1, stride, stride)));
        NamedSequential normB = NamedSequential.unit();
        layers.norm(inner, 3).ifPresent(n -> normB.add("0", n));
        if (se) {
            normB.add("1", new SqueezeExcitation(inner, SqueezeExcitation.roundWidth(inner, SE_RATIO)));
        }
        if (!normB.names().isEmpty()) {
            branch2.add("norm_b", normB);
        }
        branch2.add("act_b", Swish.block()).add("conv_c", conv1x1(layers, inner, out));
        layers.norm(out, 3).ifPresent(n -> branch2.add("norm_c", n));
        Block shortcut = null;
        Block shortcutNorm = null;
        if (in != out || stride != 1) {
            shortcut = layers.conv(new ConvSpec(3, in, out, new Shape(1, 1, 1), new Shape(1, stride, stride),
                    new Shape(0, 0, 0), false));
            shortcutNorm = in != out ? layers.norm(out, 3).orElse(null) : null;
        }
        String label = "X3DBlock(" + in + "->" + inner + "->" + out + (stride != 1 ? ", stride " + stride : "")
                + (se ? ", SE" : "") + ")";
        return Residual.resBlock(label, shortcut, shortcutNorm, branch2, layers.activation());
    }
}

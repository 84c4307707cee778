package dev.kinema.models.slowfast;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.Dropout;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.LateralFusion;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.MultiPathwayNet;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PathwayStage;
import dev.kinema.nn.Pathways;
import dev.kinema.nn.PoolConcatPathways;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.Residual;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SlowFast (Feichtenhofer et al., ICCV 2019) with a 3D ResNet-50 in each pathway, as PyTorchVideo's
 * {@code create_slowfast} builds {@code slowfast_r50} (Kinetics-400, 8×8): a slow pathway on T/α
 * frames with full width, a fast pathway on all T frames with β = 1/8 of the channels, and lateral
 * connections from fast to slow after the stem and after res2, res3 and res4.
 *
 * <p><b>Input.</b> One clip N×3×T×H×W, the fast pathway's frames (32 by default); the model picks the
 * slow pathway's T/α frames itself, as PyTorchVideo's {@code PackPathway} does
 * ({@link MultiPathwayNet#slowFrames}). T must be a multiple of α (4).
 *
 * <p><b>Names.</b> Blocks are named as PyTorchVideo's modules, so
 * {@link dev.kinema.weights.ParameterNames} gives its {@code state_dict} names
 * ({@code blocks.0.multipathway_blocks.0.conv.weight},
 * {@code blocks.1.multipathway_blocks.0.res_blocks.0.branch2.conv_a.weight},
 * {@code blocks.0.multipathway_fusion.conv_fast_to_slow.weight}, {@code blocks.6.proj.weight}).
 * The head pools globally where PyTorchVideo pools a fixed 8×7×7 / 32×7×7 window: the same on the
 * default clip, and other clip sizes work too.
 *
 * <pre>{@code
 * VideoModel sf = SlowFast.builder().optLateral(SlowFast.Lateral.TIME_TO_CHANNEL).build(config);
 * SlowFast.MacSplit split = SlowFast.macSplit(sf.layerTable());   // slow / fast / lateral / head
 * }</pre>
 */
public final class SlowFast {
    /** ResNet-50's blocks per stage (res2 to res5). */
    static final int[] R50_DEPTHS = {3, 4, 6, 3};
    private static final int STEM_WIDTH = 64;
    /** Temporal kernel of conv_a per stage: the slow pathway is 2D until res4 (the paper's finding). */
    private static final int[][] CONV_A_KERNEL_T = {{1, 1, 3, 3}, {3, 3, 3, 3}};
    private static final int[] SPATIAL_STRIDES = {1, 2, 2, 2};
    /** A time-strided lateral convolution doubles the fast pathway's channels (PyTorchVideo's default). */
    private static final int FUSION_CHANNEL_RATIO = 2;

    /** How the fast pathway's features reach the slow pathway. */
    public enum Lateral {
        /** A learned kT×1×1 convolution with temporal stride α to 2β·C channels (PyTorchVideo's default). */
        TIME_STRIDED_CONV,
        /** A reshape: α consecutive fast frames become α times as many channels (no parameters). */
        TIME_TO_CHANNEL
    }

    private SlowFast() {}

    /** A builder with PyTorchVideo's slowfast_r50 settings, each changeable. */
    public static Builder builder() {
        return new Builder();
    }

    /** Registry factory: {@code slowfast_r50} as PyTorchVideo builds it. */
    static VideoModel slowfastR50(ModelConfig c) {
        return builder().build(c);
    }

    /** Builder: α, β, the lateral connection and the model's name; {@link #build} makes the model. */
    public static final class Builder {
        private int alpha = 4;
        private int betaInverse = 8;
        private int fusionKernel = 7;
        private Lateral lateral = Lateral.TIME_STRIDED_CONV;
        private String name = "slowfast_r50";

        private Builder() {}

        /** Frame-rate ratio α: fast frames per slow frame (4). */
        public Builder optAlpha(int alpha) {
            this.alpha = positive(alpha, "alpha");
            return this;
        }

        /** 1/β: the slow pathway has this many times the fast pathway's channels (8). */
        public Builder optBetaInverse(int betaInverse) {
            this.betaInverse = positive(betaInverse, "1/beta");
            return this;
        }

        /** The lateral connection (time-strided convolution). */
        public Builder optLateral(Lateral lateral) {
            this.lateral = java.util.Objects.requireNonNull(lateral, "lateral");
            return this;
        }

        /** Temporal kernel of the time-strided lateral convolution (7). */
        public Builder optFusionKernel(int kernelT) {
            this.fusionKernel = positive(kernelT, "fusion kernel");
            return this;
        }

        /** The model's name (slowfast_r50). */
        public Builder optName(String modelName) {
            this.name = java.util.Objects.requireNonNull(modelName, "name");
            return this;
        }

        private static int positive(int v, String what) {
            if (v < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + v);
            }
            return v;
        }

        /** Channels a lateral connection adds to the slow pathway for {@code fastChannels} fast channels. */
        private long lateralChannels(long fastChannels) {
            return lateral == Lateral.TIME_STRIDED_CONV ? fastChannels * FUSION_CHANNEL_RATIO : fastChannels * alpha;
        }

        /** The model for {@code c} (its frames are the fast pathway's). */
        public VideoModel build(ModelConfig c) {
            LayerFactory layers = c.layers();
            List<PathwayStage> stages = new ArrayList<>();
            long slowIn = STEM_WIDTH;
            long fastIn = STEM_WIDTH / betaInverse;
            stages.add(new PathwayStage(new Pathways(
                    stem(layers, c.channels(), slowIn, 1), stem(layers, c.channels(), fastIn, 5)), fusion(layers, fastIn)));
            long stageIn = STEM_WIDTH;
            long stageOut = 4L * STEM_WIDTH;
            for (int s = 0; s < R50_DEPTHS.length; s++) {
                long fastOut = stageOut / betaInverse;
                Block slow = resStage(layers, R50_DEPTHS[s], stageIn + lateralChannels(stageIn / betaInverse), stageOut / 4,
                        stageOut, CONV_A_KERNEL_T[0][s], SPATIAL_STRIDES[s]);
                Block fast = resStage(layers, R50_DEPTHS[s], stageIn / betaInverse, stageOut / 4 / betaInverse, fastOut,
                        CONV_A_KERNEL_T[1][s], SPATIAL_STRIDES[s]);
                boolean last = s == R50_DEPTHS.length - 1;
                stages.add(new PathwayStage(new Pathways(slow, fast), last ? null : fusion(layers, fastOut)));
                stageIn = stageOut;
                stageOut *= 2;
            }
            MultiPathwayNet trunk = new MultiPathwayNet(alpha, stages);
            NamedSequential head = NamedSequential.layers().add("blocks", NamedSequential.layers()
                    .add("5", new PoolConcatPathways())
                    .add("6", NamedSequential.layers()
                            .add("dropout", Dropout.builder().optRate(0.5f).build())
                            .add("flatten", new Flatten())
                            .add("proj", new LinearClassifier(c.numClasses()))));
            return new VideoModel(name, c, trunk, head);
        }

        private LateralFusion fusion(LayerFactory layers, long fastChannels) {
            return lateral == Lateral.TIME_STRIDED_CONV
                    ? LateralFusion.timeStridedConv(layers, fastChannels, fastChannels * FUSION_CHANNEL_RATIO, fusionKernel, alpha)
                    : LateralFusion.timeToChannel(alpha);
        }
    }

    /** Conv kT×7×7 stride 1×2×2, norm, activation, max pool 1×3×3 stride 1×2×2 (PyTorchVideo's ResNetBasicStem). */
    private static NamedSequential stem(LayerFactory layers, long in, long out, int kernelT) {
        ConvSpec conv = new ConvSpec(3, in, out, new Shape(kernelT, 7, 7), new Shape(1, 2, 2), new Shape(kernelT / 2, 3, 3),
                false);
        NamedSequential stem = NamedSequential.unit().add("conv", layers.conv(conv));
        layers.norm(out, 3).ifPresent(n -> stem.add("norm", n));
        return stem.add("activation", layers.activation())
                .add("pool", Pooling.max(new Shape(1, 3, 3), new Shape(1, 2, 2), new Shape(0, 1, 1)));
    }

    /** {@code depth} bottleneck blocks; the first changes width and stride (PyTorchVideo's ResStage). */
    static NamedSequential resStage(LayerFactory layers, int depth, long in, long inner, long out, int kernelT,
            int spatialStride) {
        NamedSequential blocks = NamedSequential.layers();
        for (int i = 0; i < depth; i++) {
            blocks.add(Integer.toString(i), bottleneck(layers, i == 0 ? in : out, inner, out, kernelT,
                    i == 0 ? spatialStride : 1));
        }
        return NamedSequential.layers().add("res_blocks", blocks);
    }

    /**
     * conv_a (kT×1×1), conv_b (1×3×3, spatial stride), conv_c (1×1×1), each normalised, ReLU between
     * and after the sum; the shortcut projects where width or stride change.
     */
    private static Residual bottleneck(LayerFactory layers, long in, long inner, long out, int kernelT, int stride) {
        NamedSequential branch2 = NamedSequential.unit();
        convNorm(branch2, layers, "a", new ConvSpec(3, in, inner, new Shape(kernelT, 1, 1), new Shape(1, 1, 1),
                new Shape(kernelT / 2, 0, 0), false));
        branch2.add("act_a", layers.activation());
        convNorm(branch2, layers, "b", new ConvSpec(3, inner, inner, new Shape(1, 3, 3), new Shape(1, stride, stride),
                new Shape(0, 1, 1), false));
        branch2.add("act_b", layers.activation());
        convNorm(branch2, layers, "c", ConvSpec.conv3d(inner, out, 1, 1, 1));
        Block shortcut = null;
        Block shortcutNorm = null;
        if (in != out || stride != 1) {
            shortcut = layers.conv(new ConvSpec(3, in, out, new Shape(1, 1, 1), new Shape(1, stride, stride),
                    new Shape(0, 0, 0), false));
            shortcutNorm = layers.norm(out, 3).orElse(null);
        }
        String label = "Bottleneck(" + in + "->" + inner + "->" + out + ", " + kernelT + "x1x1/1x3x3"
                + (stride != 1 ? ", stride " + stride : "") + ")";
        return Residual.resBlock(label, shortcut, shortcutNorm, branch2, layers.activation());
    }

    private static void convNorm(NamedSequential unit, LayerFactory layers, String suffix, ConvSpec spec) {
        unit.add("conv_" + suffix, layers.conv(spec));
        layers.norm(spec.outChannels(), 3).ifPresent(n -> unit.add("norm_" + suffix, n));
    }

    /**
     * Multiply-adds of a SlowFast layer table by part: the slow pathway's blocks, the fast pathway's,
     * the lateral connections and the head. They sum to the table's total.
     */
    public record MacSplit(long slow, long fast, long lateral, long head) {
        public long total() {
            return slow + fast + lateral + head;
        }

        /** The fast pathway's share of all MACs, 0 to 1. */
        public double fastShare() {
            return (double) fast / total();
        }

        /** The fast pathway and the lateral connections (which run on its features), as a share of all MACs. */
        public double fastAndLateralShare() {
            return (double) (fast + lateral) / total();
        }

        /** The fast pathway's MACs relative to the slow pathway's. */
        public double fastOverSlow() {
            return (double) fast / slow;
        }
    }

    private static final Pattern PATHWAY_ROW = Pattern.compile("blocks\\.\\d+\\.multipathway_blocks\\.(\\d+)(\\..*)?");
    private static final Pattern LATERAL_ROW = Pattern.compile("blocks\\.\\d+\\.multipathway_fusion");

    /**
     * Splits the MACs of a SlowFast layer table by part, from its row names.
     *
     * @throws IllegalArgumentException if the table is not a SlowFast's
     */
    public static MacSplit macSplit(LayerTable table) {
        long[] parts = new long[4];
        boolean any = false;
        for (LayerRow r : table.rows()) {
            Matcher m = PATHWAY_ROW.matcher(r.name());
            if (m.matches()) {
                int p = Integer.parseInt(m.group(1));
                if (p > 1) {
                    throw new IllegalArgumentException("a third pathway in row " + r.name());
                }
                parts[p] += r.macs();
                any = true;
            } else if (LATERAL_ROW.matcher(r.name()).matches()) {
                parts[2] += r.macs();
            } else {
                parts[3] += r.macs();
            }
        }
        if (!any) {
            throw new IllegalArgumentException("not a multi-pathway layer table: no blocks.N.multipathway_blocks rows");
        }
        return new MacSplit(parts[0], parts[1], parts[2], parts[3]);
    }
}

package dev.kinema.models.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.ParameterValues;
import dev.kinema.models.transformer.TransformerSpec.Positions;
import dev.kinema.nn.DropPath;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PatchEmbedding;
import dev.kinema.nn.PositionEmbeddings;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.SpaceTimeAttention;
import dev.kinema.nn.SpaceTimeBlock;

/**
 * The features of ViViT's models 1, 3 and 4 and of TimeSformer: patch or tubelet embedding, class
 * token and position embeddings, a stack of {@link SpaceTimeBlock}s and a final LayerNorm; clips
 * N×C×T×H×W to tokens N×(c+L)×D (the class token first, when there is one).
 *
 * <p>Parameter names are timm's ViT and TimeSformer's: {@code patch_embed.proj}, {@code cls_token},
 * {@code pos_embed}, {@code time_embed}, {@code blocks.N...}, {@code norm}. The learned tables are
 * made for the configured clip and resized ({@link PositionEmbeddings#resize}) when a clip of
 * another size comes in.
 */
final class VideoTransformer extends AbstractBlock implements Profiled {
    private final TransformerSpec spec;
    private final long[] grid;
    private final PatchEmbedding patchEmbed;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final Parameter timeEmbed;
    private final NamedSequential blocks;
    private final FeatureLayerNorm norm;

    VideoTransformer(TransformerSpec spec, int channels, int frames, int size) {
        this.spec = spec;
        this.patchEmbed = addChildBlock("patch_embed", new PatchEmbedding(channels, spec.dim(), spec.tubelet(), spec.patch()));
        this.grid = patchEmbed.grid(frames, size, size);
        long spatial = grid[1] * grid[2];
        int c = spec.classToken() ? 1 : 0;
        this.clsToken = spec.classToken() ? addParameter(PositionEmbeddings.learned("cls_token", spec.dim(), 1)) : null;
        this.posEmbed = switch (spec.positions()) {
            case JOINT -> addParameter(PositionEmbeddings.learned("pos_embed", spec.dim(), c + grid[0] * spatial));
            case SPACE_TIME, SPACE -> addParameter(PositionEmbeddings.learned("pos_embed", spec.dim(), c + spatial));
            case SIN_COS -> null;
        };
        this.timeEmbed = spec.positions() == Positions.SPACE_TIME
                ? addParameter(PositionEmbeddings.learned("time_embed", spec.dim(), grid[0])) : null;
        SpaceTimeAttention blockAttention = spec.positions() == Positions.SPACE ? SpaceTimeAttention.SPACE : spec.attention();
        this.blocks = addChildBlock("blocks", stack(spec, spec.depth(), blockAttention, spec.classToken()));
        this.norm = addChildBlock("norm", FeatureLayerNorm.vit(spec.dim()));
    }

    /** {@code depth} blocks named 0, 1, ... with timm's linearly rising drop-path rates. */
    static NamedSequential stack(TransformerSpec spec, int depth, SpaceTimeAttention attention, boolean classToken) {
        NamedSequential blocks = NamedSequential.layers();
        for (int i = 0; i < depth; i++) {
            blocks.add(Integer.toString(i), new SpaceTimeBlock(attention, spec.dim(), spec.heads(), spec.hidden(),
                    spec.qkvBias(), classToken, DropPath.linearRate(spec.dropPath(), i, depth)));
        }
        return blocks;
    }


    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = patchEmbed.forward(ps, inputs, training).singletonOrThrow();
        Shape g = x.getShape();
        long n = g.get(0), t = g.get(1), h = g.get(2), w = g.get(3), d = g.get(4);
        NDArray cls = null;
        NDArray clsPosition = null;
        switch (spec.positions()) {
            case JOINT -> {
                NDArray table = value(ps, posEmbed, x, training).reshape(-1, d);
                int c = spec.classToken() ? 1 : 0;
                clsPosition = c == 1 ? table.get("0:1") : null;
                x = x.add(PositionEmbeddings.resize(table.get(c + ":"), grid, new long[] {t, h, w}));
            }
            case SPACE_TIME, SPACE -> {
                NDArray table = value(ps, posEmbed, x, training).reshape(-1, d);
                clsPosition = table.get("0:1");
                x = x.add(PositionEmbeddings.resize(table.get("1:"), new long[] {grid[1], grid[2]}, new long[] {h, w}));
                if (timeEmbed != null) {
                    NDArray time = PositionEmbeddings.resize(value(ps, timeEmbed, x, training).reshape(-1, d),
                            new long[] {grid[0]}, new long[] {t});
                    x = x.add(time.reshape(t, 1, 1, d));
                }
            }
            case SIN_COS -> x = x.add(PositionEmbeddings.sinCos3d(x.getManager(), t, h, w, d).reshape(t, h, w, d));
        }
        if (spec.classToken()) {
            cls = value(ps, clsToken, x, training).broadcast(n, 1, d);
            if (clsPosition != null) {
                cls = cls.add(clsPosition);
            }
            if (spec.positions() == Positions.SPACE) {
                cls = cls.repeat(1, t);
            }
        }
        NDList out = blocks.forward(ps, cls == null ? new NDList(x) : new NDList(x, cls), training);
        NDArray tokens = out.get(0).reshape(n, t * h * w, d);
        if (cls != null) {
            NDArray c = out.get(1);
            if (spec.positions() == Positions.SPACE) {
                // TimeSformer's space-only model: frames apart until here, then averaged
                c = c.mean(new int[] {1}, true);
                tokens = tokens.reshape(n, t, h * w, d).mean(new int[] {1});
            }
            tokens = c.concat(tokens, 1);
        }
        return norm.forward(ps, new NDList(tokens), training);
    }

    /** A parameter's value on {@code like}'s device. */
    static NDArray value(ParameterStore ps, Parameter p, NDArray like, boolean training) {
        return ParameterValues.of(ps, p, like, training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        patchEmbed.initialize(manager, dataType, inputShapes);
        Shape tokens = patchEmbed.getOutputShapes(inputShapes)[0];
        Shape cls = new Shape(tokens.get(0), spec.positions() == Positions.SPACE ? tokens.get(1) : 1, spec.dim());
        blocks.initialize(manager, dataType, spec.classToken() ? new Shape[] {tokens, cls} : new Shape[] {tokens});
        norm.initialize(manager, dataType, new Shape(1, 1, spec.dim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = patchEmbed.getOutputShapes(inputShapes)[0];
        long l = tokens.get(1) * tokens.get(2) * tokens.get(3);
        if (spec.positions() == Positions.SPACE) {
            l = tokens.get(2) * tokens.get(3);
        }
        return new Shape[] {new Shape(tokens.get(0), l + (spec.classToken() ? 1 : 0), spec.dim())};
    }

    /** Parameters of the class token and the position tables. */
    private long embeddingParameters() {
        long n = 0;
        for (Parameter p : new Parameter[] {clsToken, posEmbed, timeEmbed}) {
            if (p != null) {
                n += p.getShape().size();
            }
        }
        return n;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap x = profiler.visit(patchEmbed, in);
        profiler.count(embeddingParameters(), 0);
        return profiler.visit(norm, profiler.visit(blocks, x));
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap x = profiler.rows(Profiler.childName(name, "patch_embed"), patchEmbed, in);
        profiler.count(embeddingParameters(), 0);
        x = profiler.rows(Profiler.childName(name, "blocks"), blocks, x);
        return profiler.rows(Profiler.childName(name, "norm"), norm, x);
    }
}

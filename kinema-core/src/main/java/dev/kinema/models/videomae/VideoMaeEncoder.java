package dev.kinema.models.videomae;

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
import dev.kinema.nn.Axis;
import dev.kinema.nn.DropPath;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.MultiHeadAttention;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PatchEmbedding;
import dev.kinema.nn.PositionEmbeddings;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.SpaceTimeAttention;
import dev.kinema.nn.SpaceTimeBlock;

/**
 * VideoMAE's ViT encoder: tubelet embedding ({@code patch_embed.proj}, a Conv3d), VideoMAE's fixed
 * sine-cosine table over the flattened tokens ({@link PositionEmbeddings#sinusoid}, no parameters),
 * {@code blocks} of joint attention with query and value biases only, and optionally a class token
 * ({@code cls_token}) and a final LayerNorm ({@code norm}). Names are the reference's, so a VideoMAE
 * or timm checkpoint's encoder loads by name.
 *
 * <p>Given clips alone (N×C×T×H×W) it returns every token, N×(c+L)×D. Given clips and the visible
 * token numbers of a {@link TubeMask} (N×V, int64) it embeds the clip, keeps the visible tokens and
 * runs the blocks on those alone, N×V×D: the cost of pretraining's encoder scales with the visible
 * fraction. {@link #profile} counts the same tokens: all of them, or the visible ones of
 * {@link #maskRatio()}.
 */
public final class VideoMaeEncoder extends AbstractBlock implements Profiled {
    private final VideoMaeSpec spec;
    private final double maskRatio;
    private final PatchEmbedding patchEmbed;
    private final Parameter clsToken;
    private final NamedSequential blocks;
    private final FeatureLayerNorm norm;

    /**
     * @param classToken whether a class token is prepended (fine-tuning with {@link VideoMaeSpec#classToken()})
     * @param finalNorm whether a final LayerNorm ends it (pretraining and class-token fine-tuning)
     * @param maskRatio the fraction of tokens masked where it is profiled (0: none, for fine-tuning)
     */
    VideoMaeEncoder(VideoMaeSpec spec, int channels, boolean classToken, boolean finalNorm, double maskRatio) {
        this.spec = spec;
        this.maskRatio = maskRatio;
        this.patchEmbed = addChildBlock("patch_embed", new PatchEmbedding(channels, spec.dim(), spec.tubelet(), spec.patch()));
        this.clsToken = classToken ? addParameter(PositionEmbeddings.learned("cls_token", spec.dim(), 1)) : null;
        this.blocks = addChildBlock("blocks", stack(spec.dim(), spec.depth(), spec.heads(), spec.hidden(), spec.dropPath()));
        this.norm = finalNorm ? addChildBlock("norm", FeatureLayerNorm.vit(spec.dim())) : null;
    }

    /** VideoMAE's blocks: joint attention over N×L×1×1×D tokens, q and v biases, rising drop-path rates. */
    static NamedSequential stack(long dim, int depth, int heads, long hidden, float dropPath) {
        NamedSequential blocks = NamedSequential.layers();
        for (int i = 0; i < depth; i++) {
            blocks.add(Integer.toString(i), new SpaceTimeBlock(SpaceTimeAttention.JOINT, dim, heads, hidden,
                    MultiHeadAttention.Biases.QUERY_VALUE, false, DropPath.linearRate(dropPath, i, depth)));
        }
        return blocks;
    }

    public VideoMaeSpec spec() {
        return spec;
    }

    /** The fraction of tokens masked where this encoder is profiled. */
    public double maskRatio() {
        return maskRatio;
    }

    public PatchEmbedding patchEmbedding() {
        return patchEmbed;
    }

    /** Tokens N×L×D (plus a class token when it has one) through the blocks and the final norm. */
    static NDArray run(ParameterStore ps, NamedSequential blocks, NDArray tokens, boolean training) {
        Shape s = tokens.getShape();
        return blocks.forward(ps, new NDList(tokens.reshape(s.get(0), s.get(1), 1, 1, s.get(2))), training)
                .singletonOrThrow().reshape(s);
    }

    /** The clips' tubelet tokens with their positions, N×L×D. */
    NDArray embed(ParameterStore ps, NDArray clips, boolean training) {
        NDArray x = patchEmbed.forward(ps, new NDList(clips), training).singletonOrThrow();
        Shape g = x.getShape();
        long l = g.get(1) * g.get(2) * g.get(3);
        return x.reshape(g.get(0), l, spec.dim()).add(PositionEmbeddings.sinusoid(x.getManager(), l, spec.dim()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = embed(ps, inputs.get(0), training);
        if (inputs.size() > 1) {
            x = TubeMask.gather(x, inputs.get(1));
        }
        if (clsToken != null) {
            long n = x.getShape().get(0);
            x = ParameterValues.of(ps, clsToken, x, training).broadcast(n, 1, spec.dim()).concat(x, 1);
        }
        x = run(ps, blocks, x, training);
        return new NDList(norm == null ? x : norm.apply(ps, x, training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        patchEmbed.initialize(manager, dataType, inputShapes[0]);
        blocks.initialize(manager, dataType, new Shape(1, 1, 1, 1, spec.dim()));
        if (norm != null) {
            norm.initialize(manager, dataType, new Shape(1, 1, spec.dim()));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = patchEmbed.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        long l = inputShapes.length > 1 ? inputShapes[1].get(1) : tokens.get(1) * tokens.get(2) * tokens.get(3);
        return new Shape[] {new Shape(tokens.get(0), l + (clsToken == null ? 0 : 1), spec.dim())};
    }

    /** Tokens the blocks see for a clip with the token grid {@code grid}: the visible ones of {@link #maskRatio}. */
    long tokensSeen(long[] grid) {
        long spatial = grid[1] * grid[2];
        long visible = maskRatio == 0 ? spatial : spatial - TubeMask.maskedPerFrame(Math.toIntExact(spatial), maskRatio);
        return grid[0] * visible + (clsToken == null ? 0 : 1);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap x = profiler.visit(patchEmbed, in);
        return profileBlocks(x, profiler, null);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap x = profiler.rows(Profiler.childName(name, "patch_embed"), patchEmbed, in);
        return profileBlocks(x, profiler, name);
    }

    /**
     * The blocks (and norm) counted on the tokens they see, laid out as a D×tokens×1×1 map; the
     * result is the token grid, every token having attended to the whole clip.
     */
    private FeatureMap profileBlocks(FeatureMap tokens, Profiler profiler, String rowsPrefix) {
        long[] s = tokens.shape();
        profiler.count(clsToken == null ? 0 : spec.dim(), 0);
        FeatureMap seen = FeatureMap.ofClip(new Shape(spec.dim(), tokensSeen(new long[] {s[1], s[2], s[3]}), 1, 1));
        FeatureMap out = rowsPrefix == null ? profiler.visit(blocks, seen)
                : profiler.rows(Profiler.childName(rowsPrefix, "blocks"), blocks, seen);
        if (norm != null) {
            out = rowsPrefix == null ? profiler.visit(norm, out)
                    : profiler.rows(Profiler.childName(rowsPrefix, "norm"), norm, out);
        }
        return tokens.attendOver(Axis.values());
    }

    /** The layer table of this encoder alone on a clip C×T×H×W. */
    public LayerTable layerTable(Shape clip) {
        return Profiler.profile(this, clip);
    }
}

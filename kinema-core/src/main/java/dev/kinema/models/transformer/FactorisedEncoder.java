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
import dev.kinema.nn.Axis;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PatchEmbedding;
import dev.kinema.nn.PositionEmbeddings;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.SpaceTimeAttention;

/**
 * ViViT's model 2, the factorised encoder: a spatial transformer runs on each frame group's
 * tubelet tokens with a class token of its own ({@code cls_token}, {@code pos_embed},
 * {@code blocks}, {@code norm}), and a temporal transformer runs on the T' frame-level class tokens
 * with its own class token ({@code temporal_cls_token}, {@code temporal_pos_embed},
 * {@code temporal_blocks}, {@code temporal_norm}). Tokens out: N×(1+T')×D, the temporal class token
 * first. Attention costs T'·(S+1)² + (T'+1)² entries per head and layer pair instead of (T'·S+1)².
 */
final class FactorisedEncoder extends AbstractBlock implements Profiled {
    private final TransformerSpec spec;
    private final long[] grid;
    private final PatchEmbedding patchEmbed;
    private final Parameter clsToken;
    private final Parameter posEmbed;
    private final NamedSequential blocks;
    private final FeatureLayerNorm norm;
    private final Parameter temporalClsToken;
    private final Parameter temporalPosEmbed;
    private final NamedSequential temporalBlocks;
    private final FeatureLayerNorm temporalNorm;

    FactorisedEncoder(TransformerSpec spec, int channels, int frames, int size) {
        if (spec.temporalDepth() < 1) {
            throw new IllegalArgumentException("the factorised encoder needs temporal blocks, got " + spec.temporalDepth());
        }
        this.spec = spec;
        this.patchEmbed = addChildBlock("patch_embed", new PatchEmbedding(channels, spec.dim(), spec.tubelet(), spec.patch()));
        this.grid = patchEmbed.grid(frames, size, size);
        this.clsToken = addParameter(PositionEmbeddings.learned("cls_token", spec.dim(), 1));
        this.posEmbed = addParameter(PositionEmbeddings.learned("pos_embed", spec.dim(), 1 + grid[1] * grid[2]));
        this.blocks = addChildBlock("blocks", VideoTransformer.stack(spec, spec.depth(), SpaceTimeAttention.JOINT, true));
        this.norm = addChildBlock("norm", FeatureLayerNorm.vit(spec.dim()));
        this.temporalClsToken = addParameter(PositionEmbeddings.learned("temporal_cls_token", spec.dim(), 1));
        this.temporalPosEmbed = addParameter(PositionEmbeddings.learned("temporal_pos_embed", spec.dim(), 1 + grid[0]));
        this.temporalBlocks = addChildBlock("temporal_blocks",
                VideoTransformer.stack(spec, spec.temporalDepth(), SpaceTimeAttention.JOINT, true));
        this.temporalNorm = addChildBlock("temporal_norm", FeatureLayerNorm.vit(spec.dim()));
    }


    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = patchEmbed.forward(ps, inputs, training).singletonOrThrow();
        Shape g = x.getShape();
        long n = g.get(0), t = g.get(1), h = g.get(2), w = g.get(3), d = g.get(4);
        NDArray spatialTable = VideoTransformer.value(ps, posEmbed, x, training).reshape(-1, d);
        x = x.add(PositionEmbeddings.resize(spatialTable.get("1:"), new long[] {grid[1], grid[2]}, new long[] {h, w}));
        // every frame group is a clip of one token-frame to the spatial encoder
        NDArray frames = x.reshape(n * t, 1, h, w, d);
        NDArray cls = VideoTransformer.value(ps, clsToken, x, training).add(spatialTable.get("0:1")).broadcast(n * t, 1, d);
        NDList spatial = blocks.forward(ps, new NDList(frames, cls), training);
        NDArray frameTokens = norm.apply(ps, spatial.get(1), training).reshape(n, t, 1, 1, d);

        NDArray temporalTable = VideoTransformer.value(ps, temporalPosEmbed, x, training).reshape(-1, d);
        frameTokens = frameTokens.add(PositionEmbeddings.resize(temporalTable.get("1:"), new long[] {grid[0]},
                new long[] {t}).reshape(t, 1, 1, d));
        NDArray temporalCls = VideoTransformer.value(ps, temporalClsToken, x, training).add(temporalTable.get("0:1")).broadcast(n, 1, d);
        NDList temporal = temporalBlocks.forward(ps, new NDList(frameTokens, temporalCls), training);
        NDArray tokens = temporal.get(1).concat(temporal.get(0).reshape(n, t, d), 1);
        return temporalNorm.forward(ps, new NDList(tokens), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        patchEmbed.initialize(manager, dataType, inputShapes);
        Shape tokens = patchEmbed.getOutputShapes(inputShapes)[0];
        long n = tokens.get(0), t = tokens.get(1);
        blocks.initialize(manager, dataType, new Shape(n * t, 1, tokens.get(2), tokens.get(3), spec.dim()),
                new Shape(n * t, 1, spec.dim()));
        norm.initialize(manager, dataType, new Shape(1, 1, spec.dim()));
        temporalBlocks.initialize(manager, dataType, new Shape(n, t, 1, 1, spec.dim()), new Shape(n, 1, spec.dim()));
        temporalNorm.initialize(manager, dataType, new Shape(1, 1, spec.dim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = patchEmbed.getOutputShapes(inputShapes)[0];
        return new Shape[] {new Shape(tokens.get(0), 1 + tokens.get(1), spec.dim())};
    }

    private long embeddingParameters() {
        return spec.dim() * (2 + posEmbed.getShape().get(1) + temporalPosEmbed.getShape().get(1));
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return profile("", in, profiler, false);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        return profile(name, in, profiler, true);
    }

    /**
     * The spatial encoder runs on each of the T' token-frames apart: one frame's cost, T' times;
     * the temporal encoder on a T'×1×1 map of frame tokens.
     */
    private FeatureMap profile(String name, FeatureMap in, Profiler profiler, boolean rows) {
        FeatureMap x = step(name, "patch_embed", patchEmbed, in, profiler, rows);
        long[] s = x.shape();
        LayerTable frame = Profiler.profile(blocks, new Shape(spec.dim(), 1, s[2], s[3]));
        long norms = 2L * 2 * spec.dim();
        profiler.count(embeddingParameters() + frame.totalParams() + norms, Math.multiplyExact(frame.totalMacs(), s[1]));
        step(name, "temporal_blocks", temporalBlocks, FeatureMap.ofClip(new Shape(spec.dim(), s[1], 1, 1)), profiler, rows);
        return x.attendOver(Axis.values());
    }

    private static FeatureMap step(String prefix, String child, ai.djl.nn.Block block, FeatureMap in, Profiler profiler,
            boolean rows) {
        return rows ? profiler.rows(Profiler.childName(prefix, child), block, in) : profiler.visit(block, in);
    }
}

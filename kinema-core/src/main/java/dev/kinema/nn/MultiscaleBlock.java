package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One MViT block, torchvision's {@code MultiscaleBlock}: {@code x = skip(x) + attn(norm1(x))}, then
 * {@code x = proj(x) + mlp(norm2(x))}, both branches through stochastic depth. When the block
 * pools its queries (a stage's first block), the skip path is max-pooled alike ({@code pool_skip});
 * when it widens the tokens, a linear {@code project} widens the skip path, applied to
 * {@code norm1(x)} before the attention (MViTv2, {@code projAfterAttn}: the attention already
 * works at the new width) or to {@code norm2(x)} after it (MViTv1).
 *
 * <p>Tokens come and go as SpaceTimeBlock's do: the patch tokens on their grid N×T×H×W×D and the
 * class token N×1×D; the grid shrinks where the queries are pooled. Parameter names are
 * torchvision's ({@code norm1}, {@code attn...}, {@code norm2}, {@code mlp.0}, {@code mlp.3},
 * {@code project}).
 */
public final class MultiscaleBlock extends AbstractBlock implements Profiled {
    private final long inDim;
    private final long outDim;
    private final long attnDim;
    private final boolean projAfterAttn;
    private final FeatureLayerNorm norm1;
    private final MultiscaleAttention attn;
    private final FeatureLayerNorm norm2;
    private final NamedSequential mlp;
    private final Linear project;
    private final TokenGridPool poolSkip;
    private final DropPath dropPath;

    /**
     * @param relPosGrid the token grid this block takes at the configured clip, to size MViTv2's
     *     relative-position tables; {@code null} for none (MViTv1)
     */
    public MultiscaleBlock(long inDim, long outDim, int heads, Shape kernelQ, Shape strideQ, Shape kernelKv,
            Shape strideKv, boolean residualPool, long[] relPosGrid, boolean projAfterAttn, float dropPath) {
        this.inDim = inDim;
        this.outDim = outDim;
        this.projAfterAttn = projAfterAttn;
        this.attnDim = projAfterAttn ? outDim : inDim;
        this.norm1 = addChildBlock("norm1", FeatureLayerNorm.vit(inDim));
        this.attn = addChildBlock("attn", new MultiscaleAttention(inDim, attnDim, heads, kernelQ, strideQ, kernelKv,
                strideKv, residualPool, relPosGrid));
        this.norm2 = addChildBlock("norm2", FeatureLayerNorm.vit(attnDim));
        // torchvision's MLP: 0 Linear, 1 GELU, 2 Dropout, 3 Linear, 4 Dropout (the dropouts have rate 0)
        this.mlp = addChildBlock("mlp", NamedSequential.layers()
                .add("0", Linear.builder().setUnits(4 * attnDim).build())
                .add("1", new Elementwise("GELU", Activation::gelu))
                .add("3", Linear.builder().setUnits(outDim).build()));
        this.project = inDim != outDim ? addChildBlock("project", Linear.builder().setUnits(outDim).build()) : null;
        if (strideQ.size() > 1) {
            long[] k = new long[3];
            for (int i = 0; i < 3; i++) {
                k[i] = strideQ.get(i) > 1 ? strideQ.get(i) + 1 : strideQ.get(i);
            }
            this.poolSkip = addChildBlock("pool_skip", TokenGridPool.max(projAfterAttn ? outDim : inDim, new Shape(k), strideQ));
        } else {
            this.poolSkip = null;
        }
        this.dropPath = new DropPath(dropPath);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray grid = inputs.get(0);
        Shape g = grid.getShape();
        long n = g.get(0);
        long[] thw = {g.get(1), g.get(2), g.get(3)};
        NDArray x = inputs.get(1).concat(grid.reshape(n, -1, inDim), 1);
        NDArray xNorm1 = norm1.apply(ps, x, training);
        MultiscaleAttention.Attended a = attn.attend(ps, xNorm1, thw, training);
        NDArray skip = project != null && projAfterAttn ? linear(ps, project, xNorm1, training) : x;
        if (poolSkip != null) {
            skip = poolSkip.apply(ps, skip, thw, training).tokens();
        }
        x = skip.add(dropPath.apply(a.tokens(), training));
        NDArray xNorm2 = norm2.apply(ps, x, training);
        NDArray shortcut = project != null && !projAfterAttn ? linear(ps, project, xNorm2, training) : x;
        NDArray out = shortcut.add(dropPath.apply(mlp.forward(ps, new NDList(xNorm2), training).singletonOrThrow(), training));
        long[] t = a.thw();
        return new NDList(out.get(":, 1:, :").reshape(n, t[0], t[1], t[2], outDim), out.get(":, 0:1, :"));
    }

    private static NDArray linear(ParameterStore ps, Linear layer, NDArray x, boolean training) {
        return layer.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    /** The grid after this block for tokens on {@code thw}. */
    public long[] outputGrid(long[] thw) {
        return attn.outputGrid(thw);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape g = inputShapes[0];
        long[] thw = {g.get(1), g.get(2), g.get(3)};
        norm1.initialize(manager, dataType, new Shape(1, 1, inDim));
        attn.initialize(manager, dataType, g.get(0), thw);
        norm2.initialize(manager, dataType, new Shape(1, 1, attnDim));
        mlp.initialize(manager, dataType, new Shape(1, 1, attnDim));
        if (project != null) {
            project.initialize(manager, dataType, new Shape(1, 1, inDim));
        }
        if (poolSkip != null) {
            poolSkip.initialize(manager, dataType, g.get(0), thw);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape g = inputShapes[0];
        long[] t = outputGrid(new long[] {g.get(1), g.get(2), g.get(3)});
        return new Shape[] {new Shape(g.get(0), t[0], t[1], t[2], outDim), new Shape(g.get(0), 1, outDim)};
    }

    /** Attention-matrix entries for one clip on {@code thw}, all heads. */
    public long attentionEntries(long[] thw) {
        return attn.entries(thw);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != inDim) {
            throw new IllegalArgumentException("a block of width " + inDim + " got " + in.shapeText());
        }
        long[] s = in.shape();
        long[] thw = {s[1], s[2], s[3]};
        long[] out = outputGrid(thw);
        long tokens = 1 + out[0] * out[1] * out[2];
        long params = 2 * inDim + attn.parameters() + 2 * attnDim + attnDim * 4 * attnDim + 4 * attnDim
                + 4 * attnDim * outDim + outDim;
        long macs = attn.macs(thw) + Math.multiplyExact(tokens, attnDim * 4 * attnDim + 4 * attnDim * outDim);
        if (project != null) {
            params += inDim * outDim + outDim;
            macs += Math.multiplyExact(projAfterAttn ? 1 + thw[0] * thw[1] * thw[2] : tokens, inDim * outDim);
        }
        profiler.count(params, macs);
        return attn.poolQueries(in).withChannels(outDim).attendOver(Axis.values());
    }

    @Override
    public String label(FeatureMap in) {
        return "MultiscaleBlock(" + inDim + "->" + outDim + ")";
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MViT's pooling of a token sequence that lies on a T×H×W grid after a class token (torchvision's
 * {@code Pool}): the class token is set aside, the other tokens are pooled as a 3D map by
 * {@code pool}, the class token rejoins them, and an optional LayerNorm ({@code norm_act.0}) follows.
 * Pooling attention pools queries, keys and values with a depthwise convolution of one head's
 * channels ({@link #depthwise}); the block's residual is max-pooled ({@link #max}). Tokens come per
 * head, B×heads×(1+L)×C, or as B×(1+L)×C.
 */
public final class TokenGridPool extends AbstractBlock {
    private final long channels;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final Block pool;
    private final NamedSequential normAct;
    private long initSequences;
    private long[] initGrid;

    private TokenGridPool(long channels, Shape kernel, Shape stride, Block pool, boolean norm) {
        this.channels = channels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = halfKernel(kernel);
        this.pool = addChildBlock("pool", pool);
        this.normAct = norm ? addChildBlock("norm_act", NamedSequential.layers().add("0", FeatureLayerNorm.vit(channels)))
                : null;
    }

    /** A depthwise convolution of {@code channels} (no bias), "same" padding, then LayerNorm: pooling attention's. */
    public static TokenGridPool depthwise(long channels, Shape kernel, Shape stride) {
        Block conv = GuardedConv3d.of(Conv3d.builder().setFilters(Math.toIntExact(channels)).setKernelShape(kernel)
                .optStride(stride).optPadding(halfKernel(kernel)).optGroups(Math.toIntExact(channels)).optBias(false));
        return new TokenGridPool(channels, kernel, stride, conv, true);
    }

    /** Max pooling with "same" padding and no norm: the pooled residual of a block that pools its queries. */
    public static TokenGridPool max(long channels, Shape kernel, Shape stride) {
        return new TokenGridPool(channels, kernel, stride, Pooling.max(kernel, stride, halfKernel(kernel)), false);
    }

    private static Shape halfKernel(Shape kernel) {
        return new Shape(kernel.get(0) / 2, kernel.get(1) / 2, kernel.get(2) / 2);
    }

    /** The grid after pooling a grid {@code thw}. */
    public long[] pooledGrid(long[] thw) {
        long[] out = new long[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Dim.slidingOutput(thw[i], kernel.get(i), stride.get(i), padding.get(i), 1);
        }
        return out;
    }

    /** The feature map after pooling: the window slides over the map's T, H and W. */
    public FeatureMap slide(FeatureMap in) {
        return in.slide(kernel, stride, padding, new Shape(1, 1, 1));
    }

    /** Tokens pooled, and the grid they now lie on. */
    public record Pooled(NDArray tokens, long[] thw) {}

    /** Pools {@code tokens} (B×heads×(1+L)×C or B×(1+L)×C) lying on the grid {@code thw}. */
    public Pooled apply(ParameterStore ps, NDArray tokens, long[] thw, boolean training) {
        boolean perHead = tokens.getShape().dimension() == 4;
        NDArray x = perHead ? tokens : tokens.expandDims(1);
        Shape s = x.getShape();
        long b = s.get(0), heads = s.get(1), c = s.get(3);
        NDArray cls = x.get(":, :, 0:1, :");
        NDArray grid = x.get(":, :, 1:, :").transpose(0, 1, 3, 2).reshape(b * heads, c, thw[0], thw[1], thw[2]);
        NDArray pooled = pool.forward(ps, new NDList(grid), training).singletonOrThrow();
        Shape p = pooled.getShape();
        NDArray y = cls.concat(pooled.reshape(b, heads, c, -1).transpose(0, 1, 3, 2), 2);
        if (normAct != null) {
            y = normAct.forward(ps, new NDList(y), training).singletonOrThrow();
        }
        return new Pooled(perHead ? y : y.squeeze(1), new long[] {p.get(2), p.get(3), p.get(4)});
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("a token pool needs its grid: call apply(ps, tokens, thw, training)");
    }

    /** Initialises for tokens of {@code batchTimesHeads} sequences on the grid {@code thw}. */
    public void initialize(NDManager manager, DataType dataType, long batchTimesHeads, long[] thw) {
        initSequences = batchTimesHeads;
        initGrid = thw.clone();
        // through Block.initialize, so the block records its input shape (saveParameters writes it)
        initialize(manager, dataType, new Shape(batchTimesHeads, 1 + thw[0] * thw[1] * thw[2], channels));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (initGrid == null) {
            throw new IllegalStateException("a token pool needs its grid: initialise it with initialize(..., sequences, thw)");
        }
        pool.initialize(manager, dataType, new Shape(initSequences, channels, initGrid[0], initGrid[1], initGrid[2]));
        if (normAct != null) {
            normAct.initialize(manager, dataType, new Shape(1, 1, channels));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** Parameters: the depthwise kernel and the norm's scales and shifts (none for max pooling). */
    public long parameters() {
        return normAct == null ? 0 : channels * kernel.size() + 2 * channels;
    }

    /** MACs of pooling {@code heads} heads onto {@code pooledTokens} positions (max pooling costs none). */
    public long macs(long heads, long pooledTokens) {
        return normAct == null ? 0 : Math.multiplyExact(heads * channels * kernel.size(), pooledTokens);
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;

/**
 * Masked (causal) multi-head self-attention, GPT-style: token {@code i} attends to tokens
 * {@code 0..i} only. The projections are a {@link MultiHeadAttention}'s ({@code qkv} and
 * {@code proj}), used through its pieces; the mask and the optional {@link KvCache} are added here,
 * so the encoder's attention keeps its behaviour.
 */
public final class CausalSelfAttention extends AbstractBlock {
    /** Added to the scores of masked pairs: far below any real score, yet finite (no NaN from -inf - -inf). */
    private static final float MASKED = -1e9f;

    private final MultiHeadAttention attention;

    public CausalSelfAttention(long dim, int heads) {
        this.attention = addChildBlock("attn", new MultiHeadAttention(dim, heads, true));
    }

    /**
     * Tokens N×L×D to N×L×D. With a cache, the L tokens follow the cache's tokens (their keys and
     * values are appended to it at {@code layer}) and attend to those as well.
     */
    public NDArray forward(ParameterStore parameterStore, NDArray tokens, boolean training, KvCache cache, int layer) {
        NDArray[] qkv = attention.queriesKeysValues(parameterStore, tokens, training);
        long before = cache == null ? 0 : cache.length(layer);
        NDArray k = qkv[1];
        NDArray v = qkv[2];
        if (cache != null) {
            NDArray[] all = cache.append(layer, k, v);
            k = all[0];
            v = all[1];
        }
        long queries = tokens.getShape().get(1);
        long keys = k.getShape().get(2);
        NDArray scores = qkv[0].matMul(k.swapAxes(-1, -2)).add(mask(tokens.getManager(), before, queries, keys));
        return attention.project(parameterStore, scores.softmax(-1).matMul(v), training);
    }

    /** Lq×Lk: 0 where key j may be seen by query i (j <= before + i), {@link #MASKED} elsewhere. */
    static NDArray mask(NDManager manager, long before, long queries, long keys) {
        NDArray queryPosition = manager.arange(before, before + queries, 1, DataType.INT64).reshape(queries, 1);
        NDArray keyPosition = manager.arange(0, keys, 1, DataType.INT64).reshape(1, keys);
        return Scalars.mul(keyPosition.gt(queryPosition).toType(DataType.FLOAT32, false), MASKED);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.singletonOrThrow(), training, null, 0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attention.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

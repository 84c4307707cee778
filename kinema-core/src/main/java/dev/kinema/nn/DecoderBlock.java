package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm block of a causal transformer decoder (GPT-2's): {@code x + attn(norm1(x))} with
 * {@link CausalSelfAttention}, then {@code x + mlp(norm2(x))}, the MLP 4× wide; the encoder's
 * {@link SpaceTimeBlock} with the attention masked.
 */
public final class DecoderBlock extends AbstractBlock {
    private final FeatureLayerNorm norm1;
    private final CausalSelfAttention attention;
    private final FeatureLayerNorm norm2;
    private final Mlp mlp;

    public DecoderBlock(long dim, int heads) {
        this.norm1 = addChildBlock("norm1", FeatureLayerNorm.vit(dim));
        this.attention = addChildBlock("attn", new CausalSelfAttention(dim, heads));
        this.norm2 = addChildBlock("norm2", FeatureLayerNorm.vit(dim));
        this.mlp = addChildBlock("mlp", new Mlp(dim, 4 * dim));
    }

    /** Tokens N×L×D to N×L×D, attending to the {@code cache}'s earlier tokens too when given. */
    public NDArray forward(ParameterStore parameterStore, NDArray x, boolean training, KvCache cache, int layer) {
        NDArray h = x.add(attention.forward(parameterStore, norm1.apply(parameterStore, x, training), training, cache, layer));
        return h.add(mlp.forward(parameterStore, new NDList(norm2.apply(parameterStore, h, training)), training).singletonOrThrow());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(parameterStore, inputs.singletonOrThrow(), training, null, 0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm1.initialize(manager, dataType, inputShapes[0]);
        attention.initialize(manager, dataType, inputShapes[0]);
        norm2.initialize(manager, dataType, inputShapes[0]);
        mlp.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}

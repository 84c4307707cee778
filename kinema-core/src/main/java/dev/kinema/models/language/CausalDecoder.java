package dev.kinema.models.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.kinema.nn.ParameterValues;
import dev.kinema.nn.DecoderBlock;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.KvCache;
import dev.kinema.nn.PositionEmbeddings;
import java.util.ArrayList;
import java.util.List;

/**
 * A small GPT-style language model: token embeddings plus learned positions, {@link DecoderBlock}s
 * (causal, pre-norm), a final LayerNorm and a linear head to the vocabulary's logits. It takes
 * either token ids or embeddings, so a video-language model can splice projected video tokens into
 * the word-embedding sequence, and a {@link KvCache} for generation.
 */
public final class CausalDecoder extends AbstractBlock {
    private final int vocabulary;
    private final long dim;
    private final int maxLength;
    private final Parameter tokenEmbedding;
    private final Parameter positions;
    private final List<DecoderBlock> blocks = new ArrayList<>();
    private final FeatureLayerNorm norm;
    private final Linear head;

    public CausalDecoder(int vocabulary, long dim, int heads, int layers, int maxLength) {
        this.vocabulary = vocabulary;
        this.dim = dim;
        this.maxLength = maxLength;
        this.tokenEmbedding = addParameter(Parameter.builder().setName("token_embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(vocabulary, dim)).optInitializer(new NormalInitializer(0.02f)).build());
        this.positions = addParameter(PositionEmbeddings.learned("position_embedding", dim, maxLength));
        for (int i = 0; i < layers; i++) {
            blocks.add(addChildBlock("blocks_" + i, new DecoderBlock(dim, heads)));
        }
        this.norm = addChildBlock("norm", FeatureLayerNorm.vit(dim));
        this.head = addChildBlock("lm_head", Linear.builder().setUnits(vocabulary).build());
    }

    public int vocabulary() {
        return vocabulary;
    }

    public long dim() {
        return dim;
    }

    public int maxLength() {
        return maxLength;
    }

    public int layers() {
        return blocks.size();
    }

    /** Token ids N×L (int64) to word embeddings N×L×D. */
    public NDArray embed(ParameterStore parameterStore, NDArray tokens) {
        NDArray table = parameterStore.getValue(tokenEmbedding, tokens.getDevice(), false);
        return tokens.oneHot(vocabulary).toType(DataType.FLOAT32, false).matMul(table);
    }

    /**
     * Embeddings N×L×D, which follow the {@code cache}'s tokens if given (then appended to it), to
     * next-token logits N×L×V.
     */
    public NDArray forwardEmbeddings(ParameterStore parameterStore, NDArray embeddings, boolean training, KvCache cache) {
        long offset = cache == null ? 0 : cache.length();
        long length = embeddings.getShape().get(1);
        if (offset + length > maxLength) {
            throw new IllegalArgumentException("a sequence of " + (offset + length) + " tokens exceeds the decoder's "
                    + maxLength);
        }
        NDArray table = ParameterValues.of(parameterStore, positions, embeddings, false);
        NDArray x = embeddings.add(table.get(new NDIndex(":, {}:{}", offset, offset + length)));
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(parameterStore, x, training, cache, i);
        }
        x = norm.apply(parameterStore, x, training);
        return head.forward(parameterStore, new NDList(x), training).singletonOrThrow();
    }

    /** Token ids N×L to logits N×L×V. */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forwardEmbeddings(parameterStore, embed(parameterStore, inputs.singletonOrThrow()), training, null));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = new Shape(inputShapes[0].get(0), inputShapes[0].get(1), dim);
        for (DecoderBlock b : blocks) {
            b.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
        head.initialize(manager, dataType, tokens);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[0].get(1), vocabulary)};
    }
}

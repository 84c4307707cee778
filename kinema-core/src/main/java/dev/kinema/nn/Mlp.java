package dev.kinema.nn;

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
 * A transformer's feed-forward part, timm's {@code Mlp}: {@code fc1} (D to hidden), GELU (the exact,
 * erf form, torch's default), {@code fc2} (hidden to D), applied to every token of N×...×D.
 * MACs are {@code tokens · 2 · D · hidden}.
 */
public final class Mlp extends AbstractBlock implements Profiled {
    private final long dim;
    private final long hidden;
    private final Linear fc1;
    private final Linear fc2;

    public Mlp(long dim, long hidden) {
        this.dim = dim;
        this.hidden = hidden;
        this.fc1 = addChildBlock("fc1", Linear.builder().setUnits(hidden).build());
        this.fc2 = addChildBlock("fc2", Linear.builder().setUnits(dim).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList h = fc1.forward(parameterStore, inputs, training);
        return fc2.forward(parameterStore, new NDList(Activation.gelu(h.singletonOrThrow())), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        fc1.initialize(manager, dataType, inputShapes[0]);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(inputShapes)[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Costs for {@code tokens} tokens. */
    public void count(Profiler profiler, long tokens) {
        profiler.count(dim * hidden + hidden + hidden * dim + dim, Math.multiplyExact(tokens, 2 * dim * hidden));
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        count(profiler, in.elements() / in.channels());
        return in;
    }

    @Override
    public String label(FeatureMap in) {
        return "Mlp(" + dim + "->" + hidden + "->" + dim + ")";
    }
}

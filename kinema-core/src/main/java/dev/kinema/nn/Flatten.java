package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** N×C×... to N×(C·...), before a fully connected layer. A pure reshape: no row in a layer table. */
public final class Flatten extends AbstractBlock implements Profiled {
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow().reshape(getOutputShapes(new Shape[] {inputs.head().getShape()})[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.size() / s.get(0))};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.flatten();
    }

    @Override
    public boolean isRow() {
        return false;
    }
}

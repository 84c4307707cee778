package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A layer that only reshapes (a view of the same memory, no parameters): subclasses give the
 * shape rule once, and it serves both the forward pass and DJL's shape inference. A reshape is no
 * row of a layer table.
 */
abstract class ReshapeBlock extends AbstractBlock implements Profiled {
    /** The output shape for input {@code in} (batch axis included). */
    protected abstract Shape reshaped(Shape in);

    @Override
    protected final NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow().reshape(reshaped(inputs.head().getShape())));
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {reshaped(inputShapes[0])};
    }

    @Override
    public boolean isRow() {
        return false;
    }
}

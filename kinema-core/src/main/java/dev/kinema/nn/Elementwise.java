package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A parameter-free function applied element by element (an activation): the shape does not change,
 * so the profiler can account for it, which it cannot for an arbitrary DJL {@code LambdaBlock}.
 */
public final class Elementwise extends AbstractBlock implements Profiled {
    private final String name;
    private final UnaryOperator<NDArray> function;

    /** {@code function} must keep the shape, e.g. {@code new Elementwise("ReLU", Activation::relu)}. */
    public Elementwise(String name, UnaryOperator<NDArray> function) {
        this.name = Objects.requireNonNull(name, "name");
        this.function = Objects.requireNonNull(function, "function");
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(function.apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in;
    }

    @Override
    public String label(FeatureMap in) {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}

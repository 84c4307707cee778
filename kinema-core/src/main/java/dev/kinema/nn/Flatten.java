package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;

/** N×C×... to N×(C·...), before a fully connected layer. A pure reshape: no row in a layer table. */
public final class Flatten extends ReshapeBlock {
    @Override
    protected Shape reshaped(Shape s) {
        return new Shape(s.get(0), s.size() / s.get(0));
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.flatten();
    }
}

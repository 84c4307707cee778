package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;

/** N×C×... to N×(C·...), before a fully connected layer. A pure reshape: no row in a layer table. */
public final class Flatten extends ReshapeBlock {
    @Override
    protected Shape reshaped(Shape s) {
        // The features per clip, from the shape rather than size / N, so an empty batch (N = 0) stays empty.
        return new Shape(s.get(0), s.slice(1).size());
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.flatten();
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;

/**
 * Early fusion's reshape: an N×C×T×H×W clip becomes an N×(C·T)×H×W image, so the first 2D
 * convolution sees every frame. A view of the same memory (channel {@code c·T + t}); which order the
 * frames take among the channels does not matter to a convolution that learns all of them.
 */
public final class TimeToChannels extends ReshapeBlock {
    @Override
    protected Shape reshaped(Shape s) {
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("expected N×C×T×H×W, got " + s);
        }
        return new Shape(s.get(0), s.get(1) * s.get(2), s.get(3), s.get(4));
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.foldIntoChannels(Axis.T);
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Early fusion's reshape: an N×C×T×H×W clip becomes an N×(C·T)×H×W image, so the first 2D
 * convolution sees every frame. A view of the same memory (channel {@code c·T + t}); which order the
 * frames take among the channels does not matter to a convolution that learns all of them.
 */
public final class TimeToChannels extends AbstractBlock implements Profiled {
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(inputs.singletonOrThrow().reshape(getOutputShapes(new Shape[] {inputs.head().getShape()})[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("expected N×C×T×H×W, got " + s);
        }
        return new Shape[] {new Shape(s.get(0), s.get(1) * s.get(2), s.get(3), s.get(4))};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.foldIntoChannels(Axis.T);
    }

    @Override
    public boolean isRow() {
        return false;
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Global average pooling that is causal in time: N×C×T×H×W to N×C×1×1×1, the average over space
 * and over every frame up to the last one given. On a whole clip that is {@link GlobalAvgPool}'s
 * output; in a stream ({@link StreamingLayer}) it is the average over every frame streamed so far
 * (a cumulative average), so a classifier after it scores the video seen up to now.
 */
public final class CausalGlobalAvgPool extends AbstractBlock implements Profiled, StreamingLayer {
    private final CumulativeMean mean = new CumulativeMean();

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 5) {
            throw new IllegalArgumentException("causal average pooling takes N×C×T×H×W, got " + x.getShape());
        }
        NDArray means = mean.apply(CumulativeMean.spatialMeans(x));
        return new NDList(means.get(new NDIndex(":, :, -1")).reshape(getOutputShapes(new Shape[] {x.getShape()})[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), 1, 1, 1)};
    }

    @Override
    public void openStream(NDManager state) {
        mean.open(state);
    }

    @Override
    public void closeStream() {
        mean.close();
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.poolAll();
    }

    @Override
    public String label(FeatureMap in) {
        return "CausalAvgPool";
    }
}

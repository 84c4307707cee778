package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Average over every axis after the channels of an N×C×H×W or N×C×T×H×W tensor, keeping the axes
 * with size 1 (the lecture writes the result as {@code 24 x 1 x 1 x 1}). Every output unit sees the
 * whole clip.
 */
public final class GlobalAvgPool extends AbstractBlock implements Profiled {
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray pooled = switch (x.getShape().dimension()) {
            case 4 -> Pool.globalAvgPool2d(x);
            case 5 -> Pool.globalAvgPool3d(x);
            default -> throw new IllegalArgumentException("global average pooling takes N×C×H×W or N×C×T×H×W, got "
                    + x.getShape());
        };
        return new NDList(pooled.reshape(getOutputShapes(new Shape[] {x.getShape()})[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] s = inputShapes[0].getShape().clone(); // getShape() returns the backing array
        for (int i = 2; i < s.length; i++) {
            s[i] = 1;
        }
        return new Shape[] {new Shape(s)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.poolAll();
    }

    @Override
    public String label(FeatureMap in) {
        return "GlobalAvgPool";
    }
}

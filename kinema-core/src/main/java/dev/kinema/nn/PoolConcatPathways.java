package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Global average pooling of every pathway, then the pooled features joined along the channels:
 * {@code [N×C1×T1×H×W, N×C2×T2×H×W]} to {@code N×(C1+C2)×1×1×1}. PyTorchVideo's
 * {@code PoolConcatPathway}, with global pooling where it pools a fixed window (the same for its
 * default clip, and any clip size works).
 *
 * <p>Profiled on the single map {@link MultiPathwayNet} hands on (all channels at the slow rate).
 */
public final class PoolConcatPathways extends AbstractBlock implements Profiled {
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList pooled = new NDList();
        for (NDArray x : inputs) {
            pooled.add(x.mean(new int[] {2}, true).mean(new int[] {3}, true).mean(new int[] {4}, true));
        }
        return new NDList(pooled.size() == 1 ? pooled.head() : NDArrays.concat(pooled, 1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long channels = 0;
        for (Shape s : inputShapes) {
            if (s.dimension() != 5) {
                throw new IllegalArgumentException("pathways are N×C×T×H×W, got " + s);
            }
            channels += s.get(1);
        }
        return new Shape[] {new Shape(inputShapes[0].get(0), channels, 1, 1, 1)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.poolAll();
    }

    @Override
    public String label(FeatureMap in) {
        return "GlobalAvgPool+Concat";
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The RoI feature extractor of SlowFast's and MMAction2's AVA heads: a clip's N×C×T×H×W feature map
 * is averaged over time, each region of interest is pooled from its clip's map with
 * {@link RoiAlign} ({@code resolution × resolution}, torchvision's aligned arithmetic), and each
 * pooled region is max-pooled over space, giving R×C×1×1×1 (one feature vector per region, in the
 * shape {@link GlobalAvgPool} gives a clip, so the same flatten and classifier follow).
 *
 * <p>Inputs: the feature map, and optionally R×5 regions {@code batchIndex, x1, y1, x2, y2} with the
 * corners normalised to [0, 1] of the frame (AVA's convention, independent of the input size and the
 * backbone's stride). Without regions each clip's whole frame is its one region, so the model is
 * also a clip classifier.
 */
public final class RoiPooling extends AbstractBlock implements Profiled {
    private final int resolution;

    public RoiPooling(int resolution) {
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be >= 1, got " + resolution);
        }
        this.resolution = resolution;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray map = inputs.get(0);
        if (map.getShape().dimension() != 5) {
            throw new IllegalArgumentException("RoI pooling takes N×C×T×H×W feature maps, got " + map.getShape());
        }
        long n = map.getShape().get(0);
        long height = map.getShape().get(3);
        long width = map.getShape().get(4);
        float[][] boxes;
        if (inputs.size() > 1) {
            NDArray rois = inputs.get(1);
            if (rois.getShape().dimension() != 2 || rois.getShape().get(1) != 5) {
                throw new IllegalArgumentException("regions must be R×5 (batchIndex, x1, y1, x2, y2), got " + rois.getShape());
            }
            float[] flat = rois.toFloatArray();
            boxes = new float[flat.length / 5][];
            for (int r = 0; r < boxes.length; r++) {
                boxes[r] = new float[] {flat[5 * r], flat[5 * r + 1] * width, flat[5 * r + 2] * height,
                        flat[5 * r + 3] * width, flat[5 * r + 4] * height};
            }
        } else {
            boxes = new float[(int) n][];
            for (int b = 0; b < n; b++) {
                boxes[b] = new float[] {b, 0, 0, width, height};
            }
        }
        NDArray pooledTime = map.mean(new int[] {2});                                // N × C × H × W
        NDArray regions = RoiAlign.apply(pooledTime, boxes, resolution, resolution, 1.0, 0); // R × C × s × s
        NDArray vectors = regions.max(new int[] {3}, true).max(new int[] {2}, true);   // R × C × 1 × 1 (DJL: one axis at a time)
        return new NDList(vectors.expandDims(2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long regions = inputShapes.length > 1 ? inputShapes[1].get(0) : inputShapes[0].get(0);
        return new Shape[] {new Shape(regions, inputShapes[0].get(1), 1, 1, 1)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.poolAll();
    }

    @Override
    public String label(FeatureMap in) {
        return "RoIAlign(" + resolution + "x" + resolution + ")+MaxPool";
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * RoIAlign (Mask R-CNN) with {@code torchvision.ops.roi_align(..., aligned=True)}'s arithmetic: box
 * corners scaled by {@code spatialScale} and shifted by half a pixel, each output bin the mean of a
 * grid of bilinear samples ({@code samplingRatio} per side, or {@code ceil(box size / output size)}
 * when it is not positive), samples more than a pixel outside the map contributing zero.
 *
 * <p>DJL has no RoIAlign, so it is composed from matrix products: a bilinear sample's weight is a
 * product of a row weight and a column weight, and so is the mean over a bin's sample grid, so each
 * box's output is {@code Ay · F · Axᵀ}, with {@code Ay} ({@code outH × H}) and {@code Ax}
 * ({@code outW × W}) the bins' averaged interpolation weights. That is exact (the same sums in
 * another order) and differentiable in the features, so a head trains through it.
 */
public final class RoiAlign {
    private RoiAlign() {}

    /**
     * @param features {@code N × C × H × W}
     * @param boxes one row per box: {@code batchIndex, x1, y1, x2, y2} in input coordinates
     * @return {@code R × C × outH × outW}, in the features' manager
     */
    public static NDArray apply(NDArray features, float[][] boxes, int outH, int outW, double spatialScale, int samplingRatio) {
        Shape s = features.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("RoIAlign takes N×C×H×W features, got " + s);
        }
        int n = (int) s.get(0);
        int height = (int) s.get(2);
        int width = (int) s.get(3);
        // The interpolation matrices live in the features' manager, not in a scope closed here: an
        // NDArray made from Java data borrows a direct buffer that is freed once the NDArray is
        // closed, while autograd keeps using it for the features' gradient (a use after free:
        // garbage gradients, or a SIGSEGV in the backward pass).
        NDManager manager = features.getManager();
        NDList outputs = new NDList(boxes.length);
        for (float[] box : boxes) {
            int b = (int) box[0];
            if (b < 0 || b >= n) {
                throw new IllegalArgumentException("box batch index " + b + " is outside the batch of " + n);
            }
            double offset = 0.5;
            double x1 = box[1] * spatialScale - offset;
            double y1 = box[2] * spatialScale - offset;
            double x2 = box[3] * spatialScale - offset;
            double y2 = box[4] * spatialScale - offset;
            NDArray ay = manager.create(weights(y1, y2 - y1, outH, height, samplingRatio), new Shape(outH, height));
            NDArray axT = manager.create(weights(x1, x2 - x1, outW, width, samplingRatio), new Shape(outW, width)).transpose();
            NDArray map = features.get(b);                      // C × H × W
            outputs.add(ay.matMul(map).matMul(axT));             // C × outH × outW
        }
        if (outputs.isEmpty()) {
            return manager.zeros(new Shape(0, s.get(1), outH, outW), features.getDataType());
        }
        NDArray stacked = NDArrays.stack(outputs);
        outputs.close();
        return stacked;
    }

    /**
     * One axis's averaged bilinear weights: row {@code bin}, column {@code pixel} is the mean over the
     * bin's samples of that pixel's interpolation weight, torchvision's rules for where samples fall.
     */
    static float[] weights(double start, double size, int bins, int length, int samplingRatio) {
        double binSize = size / bins;
        int grid = samplingRatio > 0 ? samplingRatio : (int) Math.ceil(size / bins);
        double[] w = new double[bins * length];
        float[] out = new float[bins * length];
        if (grid <= 0) {
            return out;
        }
        for (int bin = 0; bin < bins; bin++) {
            for (int i = 0; i < grid; i++) {
                double v = start + bin * binSize + (i + 0.5) * binSize / grid;
                if (v < -1.0 || v > length) {
                    continue; // torchvision: a sample this far outside the map is zero
                }
                if (v <= 0) {
                    v = 0;
                }
                int low = (int) v;
                int high;
                if (low >= length - 1) {
                    low = length - 1;
                    high = low;
                    v = low;
                } else {
                    high = low + 1;
                }
                double frac = v - low;
                w[bin * length + low] += (1 - frac) / grid;
                w[bin * length + high] += frac / grid;
            }
        }
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) w[i];
        }
        return out;
    }
}

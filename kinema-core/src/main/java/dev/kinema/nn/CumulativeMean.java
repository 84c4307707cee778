package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * The causal average over time (MoViNet's cumulative global average pooling): for per-frame values
 * N×C×T, the mean of frames 1..t at every frame t. In a stream it carries the running sum N×C×1 and
 * the count of frames seen, so a step's means continue the earlier steps' exactly. Used by
 * {@link CausalGlobalAvgPool} and {@link CausalSqueezeExcitation}.
 */
final class CumulativeMean {
    private NDManager state;
    private NDArray sum;
    private long count;

    /** Per-frame spatial means N×C×T of an N×C×T×H×W map. */
    static NDArray spatialMeans(NDArray x) {
        return x.mean(new int[] {4}).mean(new int[] {3});
    }

    /** The cumulative means N×C×T of per-frame values N×C×T (continuing the stream, if one is open). */
    NDArray apply(NDArray perFrame) {
        long frames = perFrame.getShape().get(2);
        NDArray sums = perFrame.cumSum(2);
        if (sum != null) {
            sums = sums.add(sum);   // an op on the step's array, so the result is the step's too
        }
        NDArray counts = perFrame.getManager().arange(count + 1f, count + frames + 1f, 1f, perFrame.getDataType());
        NDArray means = sums.div(counts);
        if (state != null) {
            NDArray last = sums.get(new NDIndex(":, :, -1:")).duplicate();
            last.attach(state);
            if (sum != null) {
                sum.close();
            }
            sum = last;
            count += frames;
        }
        return means;
    }

    void open(NDManager stateManager) {
        state = stateManager;
        sum = null;
        count = 0;
    }

    void close() {
        state = null;
        sum = null;
        count = 0;
    }
}

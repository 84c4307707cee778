package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Turns per-frame class scores N×K×T into clip class scores N×K, the way the single-frame baseline
 * averages frames.
 *
 * <ul>
 *   <li>Training: the mean of the per-frame logits, so one cross-entropy per clip trains every
 *       frame's prediction.
 *   <li>Inference: {@code log(mean_t softmax(z_t))}, computed stably. These are log-probabilities,
 *       so {@code softmax} of the output is exactly the average of the per-frame class
 *       probabilities: an evaluator that applies softmax to a model's output, as it would for any
 *       classifier, gets the lecture's test-time averaging without a special case.
 *   <li>Pre-logits ({@link PreLogits}): per-frame features N×D×T averaged to N×D, as in training.
 * </ul>
 */
public final class FrameConsensus extends AbstractBlock implements Profiled {
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray z = inputs.singletonOrThrow();
        if (z.getShape().dimension() != 3) {
            throw new IllegalArgumentException("expected per-frame scores N×K×T, got " + z.getShape());
        }
        if (training || PreLogits.requested(params)) {
            return new NDList(z.mean(new int[] {2}));
        }
        NDArray logp = z.logSoftmax(1);
        NDArray peak = logp.max(new int[] {2}, true);
        NDArray meanProb = logp.sub(peak).exp().mean(new int[] {2});
        return new NDList(meanProb.log().add(peak.squeeze(2)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1))};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.reduce(Axis.T);
    }

    @Override
    public String label(FeatureMap in) {
        return "AverageFrames";
    }
}

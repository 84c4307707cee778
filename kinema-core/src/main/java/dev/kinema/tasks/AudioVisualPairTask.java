package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.engine.Scalars;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the self-supervised audio-visual tasks share: each clip of packed RGB + log-mel input is a
 * pair of frames and sound, which belong together (target 1) or not (target 0), and the model gives
 * one logit per clip; the loss is the sigmoid binary cross-entropy and the training metric the
 * share of pairs on the right side of 0 ({@code pair_accuracy}). Labels are ignored. The pairs of a
 * batch follow from the batch alone (the loader's draws), so the epoch's accumulator finds the same
 * targets the step trained on, and resumed runs compute the same epochs.
 */
abstract class AudioVisualPairTask implements TrainingTask {
    /** The training metric: pairs told right, aligned and not alike. */
    static final String PAIR_ACCURACY = "pair_accuracy";

    /** One logit: the pair belongs together. */
    @Override
    public final int outputs() {
        return 1;
    }

    /** Each clip's target, 1 where its frames and sound belong together. */
    abstract float[] targets(ClipBatch batch);

    /** The packed clips the model takes for the batch's pairs. */
    abstract NDArray inputs(ClipBatch batch, NDManager manager);

    @Override
    public final Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
        return new Step(new NDList(inputs(batch, manager)),
                new NDList(manager.create(targets(batch), new Shape(batch.size(), 1))));
    }

    /** Sigmoid binary cross-entropy on logits, as {@code max(z, 0) − z·y + log(1 + e^−|z|)}, averaged. */
    @Override
    public final NDArray loss(NDList outputs, NDList targets) {
        return bce(outputs.singletonOrThrow(), targets.singletonOrThrow());
    }

    static NDArray bce(NDArray logits, NDArray targets) {
        NDArray z = logits.reshape(targets.getShape());
        return Scalars.maximum(z, 0).sub(z.mul(targets)).add(z.abs().neg().exp().add(1f).log()).mean();
    }

    /** Whether a logit says "belongs together" for a pair whose target is {@code target}, correctly. */
    static boolean correct(float logit, float target) {
        return (logit > 0) == (target > 0.5f);
    }

    @Override
    public final EpochMetricsAccumulator newEpoch() {
        return new MeanLossAccumulator() {
            private int right;
            private int seen;

            @Override
            void addMetrics(ClipBatch batch, float[] outputs) {
                float[] t = targets(batch);
                for (int i = 0; i < t.length; i++) {
                    right += correct(outputs[i], t[i]) ? 1 : 0;
                }
                seen += t.length;
            }

            @Override
            public Map<String, Double> summary() {
                Map<String, Double> out = new LinkedHashMap<>();
                out.put(PAIR_ACCURACY, seen == 0 ? Double.NaN : right / (double) seen);
                return out;
            }
        };
    }
}

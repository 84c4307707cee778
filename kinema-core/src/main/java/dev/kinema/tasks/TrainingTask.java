package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.FieldTransform;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What a model is trained to predict from clips: the seam between the training loop and a task. The
 * loop asks the task for a batch's inputs and targets, its loss, its running metrics and its
 * validation, and knows nothing of classes, boxes or captions. A run names its task
 * ({@link TrainingTasks}, {@link TaskDefinition}).
 *
 * <p>A task must be deterministic given the {@link SplittableRandom} the loop passes for each batch
 * (derived from the run's seed, the epoch and the batch's position), so training stays reproducible
 * and a resumed run computes the same epochs as an uninterrupted one.
 */
public interface TrainingTask {

    /** Values the model's head outputs per clip (the classes, for classification). */
    int outputs();

    /**
     * The model inputs and loss targets of a training batch, owned by {@code manager}. A task may
     * mix the batch's clips (mixup, cutmix), drawing only from {@code rng}.
     */
    Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng);

    /** The scalar loss of a batch's outputs against the targets of {@link #trainingStep}. */
    NDArray loss(NDList outputs, NDList targets);

    /** An empty accumulator for one epoch's training metrics. */
    EpochMetricsAccumulator newEpoch();

    /**
     * Runs the model over the validation videos and measures it: the metrics of its
     * {@link TaskDefinition#validationMetrics()} by name, and its part of the training report.
     */
    Validation validate(ValidationPass pass);

    /**
     * What the task adds to each training clip as it is decoded (a detection task's boxes), or null
     * for nothing. With one, the trainer crops and flips clips with a
     * {@link dev.kinema.data.loader.SpatialAugment} after it, so what it adds moves with the frames.
     */
    default FieldTransform clipTargets() {
        return null;
    }

    /** A batch ready for the model: its inputs and its loss targets. */
    record Step(NDList inputs, NDList targets) {}

    /** Running training metrics of one epoch. */
    interface EpochMetricsAccumulator {
        /**
         * Adds a batch.
         *
         * @param batch the batch as the loader made it (before any mixing)
         * @param outputs the model's outputs for it, copied to the heap, one row per clip
         * @param meanLoss the batch's loss
         */
        void add(ClipBatch batch, float[] outputs, float meanLoss);

        /** Clips added. */
        int clips();

        /** The loss averaged over the clips added (NaN when none). */
        double meanLoss();

        /**
         * The epoch's metrics so far by name, e.g. {@code top1} for classification, in a stable
         * order.
         */
        Map<String, Double> summary();
    }
}

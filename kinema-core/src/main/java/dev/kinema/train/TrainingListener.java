package dev.kinema.train;

import dev.kinema.data.datasets.DatasetReport;
import java.nio.file.Path;

import dev.kinema.tasks.Validation;
import java.util.Map;

/**
 * Hears what a {@link Trainer} is doing, for progress bars and logs. Every method does nothing by
 * default; all are called on the training thread.
 */
public interface TrainingListener {

    /** Epoch {@code epoch} (1-based) of {@code epochs} begins; it has at most {@code batches} batches. */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /** The dataset had annotation problems whose samples were skipped; {@code list} names them all. */
    default void datasetProblems(DatasetReport report, Path list) {}

    /** A training batch was used for an update. */
    default void batchFinished(BatchProgress progress) {}

    /** Validation of {@code videos} videos begins. */
    default void validationStarted(int videos) {}

    /** {@code done} validation videos are finished. */
    default void validationProgress(int done) {}

    /**
     * An epoch ended with {@code metrics}; {@code validation} (the task's, e.g. a
     * {@code ClassificationValidation}) is null when there was none.
     */
    default void epochFinished(EpochMetrics metrics, Validation validation) {}

    /** The checkpoint of the epoch just finished is on disk. */
    default void checkpointWritten(RunDir run, int epoch) {}

    /**
     * The running numbers of the current epoch.
     *
     * @param epoch 1-based
     * @param batch batches done in this epoch
     * @param loss mean loss over this epoch's clips so far
     * @param metrics the task's training metrics over this epoch's clips so far, by name
     * @param clipsPerSecond this epoch's training clips per second so far
     * @param lr the learning rate of the last update
     */
    record BatchProgress(int epoch, int batch, double loss, Map<String, Double> metrics, double clipsPerSecond,
            double lr) {}
}

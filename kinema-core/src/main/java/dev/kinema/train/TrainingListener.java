package dev.kinema.train;

import dev.kinema.eval.EvalResult;

/**
 * Hears what a {@link Trainer} is doing, for progress bars and logs. Every method does nothing by
 * default; all are called on the training thread.
 */
public interface TrainingListener {

    /** Epoch {@code epoch} (1-based) of {@code epochs} begins; it has at most {@code batches} batches. */
    default void epochStarted(int epoch, int epochs, int batches) {}

    /** A training batch was used for an update. */
    default void batchFinished(BatchProgress progress) {}

    /** Validation of {@code videos} videos begins. */
    default void validationStarted(int videos) {}

    /** {@code done} validation videos are finished. */
    default void validationProgress(int done) {}

    /** An epoch ended with {@code metrics}; {@code validation} is null when there was none. */
    default void epochFinished(EpochMetrics metrics, EvalResult validation) {}

    /** The checkpoint of the epoch just finished is on disk. */
    default void checkpointWritten(RunDir run, int epoch) {}

    /**
     * The running numbers of the current epoch.
     *
     * @param epoch 1-based
     * @param batch batches done in this epoch
     * @param loss mean loss over this epoch's clips so far
     * @param top1 training accuracy over this epoch's clips so far
     * @param clipsPerSecond this epoch's training clips per second so far
     * @param lr the learning rate of the last update
     */
    record BatchProgress(int epoch, int batch, double loss, double top1, double clipsPerSecond, double lr) {}
}

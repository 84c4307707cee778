package dev.kinema.train;

import dev.kinema.io.AtomicFiles;
import dev.kinema.tasks.Metric;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * {@code RUN/best.ckpt}: the checkpoint of the epoch whose validation metric was best so far (the
 * first such epoch on a tie, as MMAction2's {@code save_best} and timm's {@code CheckpointSaver}
 * keep the first). Decided from the run's history alone, so a resumed run keeps the same best,
 * and a crash between the two writes is repaired on resume.
 */
final class BestCheckpoint {
    private final RunDir run;
    private final Metric metric;

    /** Follows {@code metric}, a validation metric of the run's task. */
    BestCheckpoint(RunDir run, Metric metric) {
        this.run = run;
        this.metric = metric;
    }

    /** The epoch of {@code history} best by {@code metric}'s validation value, if any epoch was validated. */
    static Optional<EpochMetrics> best(List<EpochMetrics> history, Metric metric) {
        EpochMetrics best = null;
        for (EpochMetrics m : history) {
            Double value = m.validation(metric.name());
            if (value != null && metric.isBetter(value, best == null ? null : best.validation(metric.name()))) {
                best = m;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Copies the run's checkpoint, which holds the last epoch of {@code history}, to
     * {@code best.ckpt} when that epoch is the best (atomically, like every file of a run).
     */
    void update(List<EpochMetrics> history) throws IOException {
        if (history.isEmpty()) {
            return;
        }
        EpochMetrics last = history.get(history.size() - 1);
        if (best(history, metric).filter(b -> b.epoch() == last.epoch()).isPresent()) {
            AtomicFiles.write(run.file(RunDir.BEST), out -> Files.copy(run.checkpoint(), out));
        }
    }
}

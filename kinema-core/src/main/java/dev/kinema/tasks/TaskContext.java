package dev.kinema.tasks;

import java.nio.file.Path;
import java.util.List;

/**
 * What a run tells its task when it builds it: the dataset's label names (classes, for
 * classification) and the training regularisers a task may apply to its targets.
 *
 * @param labels the run's label names in label order
 * @param labelSmoothing ε of label smoothing, in [0, 1)
 * @param mixUp batch mixing, or {@link MixUp#NONE}
 * @param dataRoot the dataset's folder, where a task whose targets are not per-video labels (a
 *     detection task's boxes) reads them; null when the run has none on disk
 */
public record TaskContext(List<String> labels, double labelSmoothing, MixUp mixUp, Path dataRoot) {
    public TaskContext {
        labels = List.copyOf(labels);
        mixUp = mixUp == null ? MixUp.NONE : mixUp;
    }

    /** A context with no dataset folder (tasks that learn per-video labels). */
    public TaskContext(List<String> labels, double labelSmoothing, MixUp mixUp) {
        this(labels, labelSmoothing, mixUp, null);
    }
}

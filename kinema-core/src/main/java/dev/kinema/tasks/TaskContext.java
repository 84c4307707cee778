package dev.kinema.tasks;

import java.util.List;

/**
 * What a run tells its task when it builds it: the dataset's label names (classes, for
 * classification) and the training regularisers a task may apply to its targets.
 *
 * @param labels the run's label names in label order
 * @param labelSmoothing ε of label smoothing, in [0, 1)
 * @param mixUp batch mixing, or {@link MixUp#NONE}
 */
public record TaskContext(List<String> labels, double labelSmoothing, MixUp mixUp) {
    public TaskContext {
        labels = List.copyOf(labels);
        mixUp = mixUp == null ? MixUp.NONE : mixUp;
    }
}

package dev.kinema.tasks;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A task as a run names it: its name in {@code config.json}, what it reports, and how it is built
 * for a run. {@link TrainingTasks} holds them by name.
 *
 * @param name the name a configuration gives ({@code classification})
 * @param description one line for people
 * @param trainMetrics the metrics of its {@link TrainingTask#newEpoch() epoch summary}
 * @param validationMetrics the metrics of its {@link TrainingTask#validate validation}, in order
 * @param defaultBestMetric the validation metric the best checkpoint follows unless the run names another
 * @param factory builds the task for a run
 */
public record TaskDefinition(String name, String description, List<Metric> trainMetrics,
        List<Metric> validationMetrics, String defaultBestMetric, Function<TaskContext, TrainingTask> factory) {
    public TaskDefinition {
        Objects.requireNonNull(name, "name");
        trainMetrics = List.copyOf(trainMetrics);
        validationMetrics = List.copyOf(validationMetrics);
        Objects.requireNonNull(factory, "factory");
        if (validationMetrics.stream().noneMatch(m -> m.name().equals(defaultBestMetric))) {
            throw new IllegalArgumentException(name + ": the default best metric " + defaultBestMetric
                    + " is not one of its validation metrics");
        }
    }

    /** The task for a run. */
    public TrainingTask create(TaskContext context) {
        return factory.apply(context);
    }

    /**
     * The validation metric of this name, also written as in {@code metrics.jsonl} ({@code val_video_top1});
     * null gives the default.
     *
     * @throws IllegalArgumentException naming the known metrics, for any other name
     */
    public Metric validationMetric(String metric) {
        String wanted = metric == null ? defaultBestMetric : metric.startsWith("val_") ? metric.substring(4) : metric;
        return validationMetrics.stream().filter(m -> m.name().equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the " + name + " task has no validation metric '"
                        + metric + "'; choose one of " + validationMetrics.stream().map(Metric::name).toList()));
    }

    /** A metric of this task by name, validation first then training, or null. */
    public Metric metric(String metricName) {
        for (List<Metric> list : List.of(validationMetrics, trainMetrics)) {
            for (Metric m : list) {
                if (m.name().equals(metricName)) {
                    return m;
                }
            }
        }
        return null;
    }
}

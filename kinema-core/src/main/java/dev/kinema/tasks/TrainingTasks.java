package dev.kinema.tasks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks a run may name, by name (as timm's model registry: one place that knows them all).
 * Built in: {@link ClassificationTask#DEFINITION classification}. A task from elsewhere is added
 * with {@link #register} before the run is configured.
 */
public final class TrainingTasks {
    /** The task of runs that name none, as every run written before tasks were a setting. */
    public static final String DEFAULT = ClassificationTask.DEFINITION.name();

    private static final Map<String, TaskDefinition> TASKS = new LinkedHashMap<>();

    static {
        register(ClassificationTask.DEFINITION);
        register(ActionDetectionTask.DEFINITION);
        register(AvSyncTask.DEFINITION);
        register(AvCorrespondenceTask.DEFINITION);
        register(MixAndSeparateTask.DEFINITION);
        register(MixAndSeparateTask.RATIO_DEFINITION);
    }

    private TrainingTasks() {}

    /** Adds a task, or replaces the one of the same name. */
    public static synchronized void register(TaskDefinition task) {
        TASKS.put(task.name(), task);
    }

    /**
     * The task of this name.
     *
     * @throws IllegalArgumentException naming the known tasks, for an unknown name
     */
    public static synchronized TaskDefinition get(String name) {
        TaskDefinition task = TASKS.get(name);
        if (task == null) {
            throw new IllegalArgumentException("unknown task '" + name + "'; known tasks: " + names());
        }
        return task;
    }

    /** The names of the known tasks, in registration order. */
    public static synchronized List<String> names() {
        return new ArrayList<>(TASKS.keySet());
    }
}

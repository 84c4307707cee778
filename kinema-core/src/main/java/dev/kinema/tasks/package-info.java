/**
 * Training tasks: what is predicted from a clip, with its targets, loss, training metrics and
 * validation ({@link dev.kinema.tasks.TrainingTask}), named in a run's configuration through the
 * {@link dev.kinema.tasks.TrainingTasks} registry of {@link dev.kinema.tasks.TaskDefinition}s. The
 * trainer's loop runs any task; single-label classification ({@link dev.kinema.tasks.ClassificationTask},
 * with label smoothing and mixup/cutmix through {@link dev.kinema.tasks.MixUp}, validated by
 * {@link dev.kinema.tasks.ClassificationValidation}) is the first. Tier 5, between {@code eval}
 * (whose evaluator and metrics a task may use) and {@code train}.
 */
package dev.kinema.tasks;

/**
 * Training tasks: what is predicted from a clip, with its targets, loss and training metrics
 * ({@link dev.kinema.tasks.TrainingTask}). The trainer's loop runs any task; single-label
 * classification ({@link dev.kinema.tasks.ClassificationTask}, with label smoothing and
 * mixup/cutmix through {@link dev.kinema.tasks.MixUp}) is the first. Tier 5, between {@code eval}
 * (whose metrics a task may use) and {@code train}.
 */
package dev.kinema.tasks;

/**
 * Heads: what turns a backbone's features into a model's output. Today the classification heads:
 * the classifier layers ({@link dev.kinema.models.heads.LinearClassifier},
 * {@link dev.kinema.models.heads.ConvClassifier}), which {@code VideoModel.resetClassifier} replaces
 * and which pass their input on for pre-logit features, and the common pooled linear head
 * ({@link dev.kinema.models.heads.LinearHead}). RoI heads for detection and temporal-segment heads
 * for localisation belong here too; they take {@code VideoModel.forwardIntermediates}.
 */
package dev.kinema.models.heads;

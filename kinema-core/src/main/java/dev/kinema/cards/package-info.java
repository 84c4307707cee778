/**
 * Model cards: what a model's weights expect and are ({@link dev.kinema.cards.ModelCard}), after
 * timm's {@code PretrainedCfg} and torchvision's {@code Weights} metadata, and the cards Kinema
 * knows ({@link dev.kinema.cards.ModelCards}).
 */
package dev.kinema.cards;

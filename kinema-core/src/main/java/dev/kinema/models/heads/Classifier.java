package dev.kinema.models.heads;

import ai.djl.nn.Block;

/**
 * A head's last layer, features to class scores: the layer {@code VideoModel.resetClassifier}
 * replaces, and the one a pre-logits forward pass ({@link dev.kinema.nn.PreLogits}) skips.
 */
public interface Classifier extends Block {
    /** The classes it scores. */
    int numClasses();

    /** A new, uninitialised classifier of the same kind for {@code numClasses} classes. */
    Classifier withClasses(int numClasses);
}

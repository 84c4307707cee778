package dev.kinema.models.heads;

import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import dev.kinema.nn.Elementwise;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.RoiPooling;

/**
 * The AVA action head of SlowFast and MMAction2's {@code BBoxHeadAVA}: RoI features
 * ({@link RoiPooling}: temporal mean, RoIAlign on the keyframe's map, spatial max), a hidden layer
 * ({@code fc6}, ReLU) and a linear classifier of one logit per action, read through a sigmoid each
 * (multi-label: an actor may do several actions). Its pre-logit features are the hidden layer's.
 */
public final class RoiHead {
    private RoiHead() {}

    /**
     * @param numClasses actions
     * @param hidden width of the hidden layer
     * @param resolution RoIAlign's output size per side
     */
    public static NamedSequential of(int numClasses, int hidden, int resolution) {
        return NamedSequential.layers()
                .add("roi", new RoiPooling(resolution))
                .add("flatten", new Flatten())
                .add("fc6", Linear.builder().setUnits(hidden).build())
                .add("relu", new Elementwise("ReLU", Activation::relu))
                .add("fc", new LinearClassifier(numClasses));
    }
}

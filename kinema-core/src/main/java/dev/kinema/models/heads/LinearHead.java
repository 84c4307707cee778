package dev.kinema.models.heads;

import dev.kinema.nn.Flatten;
import dev.kinema.nn.GlobalAvgPool;
import dev.kinema.nn.NamedSequential;

/** The linear classification head most models end in. */
public final class LinearHead {
    private LinearHead() {}

    /**
     * Global average pooling, flatten, linear classifier ({@code pool}, {@code flatten}, {@code fc}):
     * N×D×... feature maps to N×numClasses scores; its pre-logit features are the pooled N×D.
     */
    public static NamedSequential pooled(int numClasses) {
        return pooled("pool", numClasses);
    }

    /** {@link #pooled(int)} with the pooling called {@code poolName} (torchvision's video ResNets: {@code avgpool}). */
    public static NamedSequential pooled(String poolName, int numClasses) {
        return NamedSequential.layers()
                .add(poolName, new GlobalAvgPool())
                .add("flatten", new Flatten())
                .add("fc", new LinearClassifier(numClasses));
    }
}

package dev.kinema.models.heads;

import ai.djl.ndarray.NDList;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.PreLogits;

/**
 * A fully connected classifier: DJL's {@link Linear} (parameters {@code weight} and {@code bias},
 * as torch's {@code nn.Linear}), which passes its input on in a pre-logits forward pass.
 */
public final class LinearClassifier extends Linear implements Classifier {
    private final int numClasses;

    public LinearClassifier(int numClasses) {
        super(Linear.builder().setUnits(checked(numClasses)));
        this.numClasses = numClasses;
    }

    static int checked(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("a classifier needs at least one class, got " + numClasses);
        }
        return numClasses;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public LinearClassifier withClasses(int classes) {
        return new LinearClassifier(classes);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return PreLogits.requested(params) ? inputs : super.forwardInternal(parameterStore, inputs, training, params);
    }
}

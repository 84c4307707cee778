package dev.kinema.models.heads;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.GuardedConv3d;
import dev.kinema.nn.PreLogits;

/**
 * A 1×1×1 convolution to the classes, with bias (I3D's {@code logits}): a linear classifier at
 * every position of the map, whose scores the head then averages. Passes its input on in a
 * pre-logits forward pass, so the head averages the features instead.
 */
public final class ConvClassifier extends GuardedConv3d implements Classifier {
    public ConvClassifier(int numClasses) {
        super(Conv3d.builder().setFilters(LinearClassifier.checked(numClasses)).setKernelShape(new Shape(1, 1, 1))
                .optBias(true));
    }

    @Override
    public int numClasses() {
        return getFilters();
    }

    @Override
    public ConvClassifier withClasses(int classes) {
        return new ConvClassifier(classes);
    }

    /** Scores at every position, or (pre-logits) the features as they came. */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (PreLogits.requested(params)) {
            return inputs;
        }
        return super.forwardInternal(parameterStore, inputs, training, params);
    }
}

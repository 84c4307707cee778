package dev.kinema.train;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import ai.djl.nn.Block;

/**
 * Creates a video classifier by name: the one seam between training and the model zoo.
 *
 * <p>A model takes N×C×T×H×W float clips (C = 3, normalised) and returns N×{@code numClasses}
 * logits. It is returned uninitialised; the caller initialises it for the input shape.
 */
@FunctionalInterface
public interface ModelFactory {

    /**
     * @param name the model's registry name, e.g. {@code tiny-3d}
     * @param numClasses classes the head predicts
     * @param frames frames per clip (T)
     * @param size clip height and width in pixels
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    Block create(String name, int numClasses, int frames, int size);

    /** Every model of {@link ModelRegistry}, built for the clip size being trained on. */
    static ModelFactory registry() {
        return (name, numClasses, frames, size) -> ModelRegistry.create(name,
                ModelConfig.builder().setNumClasses(numClasses).optFrames(frames).optSize(size).build());
    }
}

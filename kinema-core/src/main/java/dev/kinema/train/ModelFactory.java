package dev.kinema.train;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import ai.djl.nn.Block;
import java.util.List;

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

    /**
     * The model with non-local blocks after {@code nonLocal}'s stages ({@code ModelConfig.nonLocal});
     * a factory that cannot insert them refuses any.
     */
    default Block create(String name, int numClasses, int frames, int size, List<String> nonLocal) {
        if (!nonLocal.isEmpty()) {
            throw new IllegalArgumentException("this model factory cannot insert non-local blocks");
        }
        return create(name, numClasses, frames, size);
    }

    /** Every model of {@link ModelRegistry}, built for the clip size being trained on. */
    static ModelFactory registry() {
        return new ModelFactory() {
            @Override
            public Block create(String name, int numClasses, int frames, int size) {
                return create(name, numClasses, frames, size, List.of());
            }

            @Override
            public Block create(String name, int numClasses, int frames, int size, List<String> nonLocal) {
                return ModelRegistry.create(name, ModelConfig.builder().setNumClasses(numClasses).optFrames(frames)
                        .optSize(size).optNonLocal(nonLocal).build());
            }
        };
    }
}

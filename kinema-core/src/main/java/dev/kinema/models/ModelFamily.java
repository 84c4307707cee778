package dev.kinema.models;

import java.util.List;
import java.util.function.Function;

/**
 * A family of models that registers itself: one implementation per family package, listed in that
 * package's part of {@code META-INF/services/dev.kinema.models.ModelFamily} and found by
 * {@link java.util.ServiceLoader} when {@link ModelRegistry} is first used.
 *
 * <p>The registry lists families by {@link #order()}, smallest first, and each family's models in
 * the order {@link #models()} gives them, so {@link ModelRegistry#listModels()} has a fixed order
 * whatever order the class path gives the service files. The built-in families take
 * 100 (frame), 200 (cnn3d), 300 (toy), 400 (twostream), 500 (i3d), 600 (videoresnet), 700 (tsm),
 * 800 (slowfast) and 900 (x3d): the lecture's order. A new family takes a number after them, or
 * between two where it belongs in the list.
 */
public interface ModelFamily {
    /** Where the family's models come in the registry's list: smaller first. Unique among families. */
    int order();

    /** The family's models, in the order they are listed. */
    List<Model> models();

    /**
     * One model: its info (name, description, defaults, backbones) and the factory that builds it
     * from a config with frames, size and backbone filled in.
     */
    record Model(ModelInfo info, Function<ModelConfig, VideoModel> factory) {}
}

package dev.kinema.models;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Helpers for model tests: the smallest clip a model accepts, and DJL's own parameter count. */
public final class TinyModels {
    private TinyModels() {}

    /** The model with {@code classes} classes on the shortest clip it accepts: {@link SmallestClips#smallest}. */
    public static VideoModel smallest(String name, String backbone, int classes) {
        return SmallestClips.smallest(name, backbone, classes);
    }

    public static ModelConfig config(String backbone, int classes, int frames, int size) {
        return SmallestClips.config(backbone, classes, frames, size);
    }

    /** Trainable parameters of an initialised block, as DJL holds them. */
    public static long trainableParameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().getShape().size();
            }
        }
        return n;
    }
}

package dev.kinema.models;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/** Helpers for model tests: the smallest clip a model accepts, and DJL's own parameter count. */
final class TinyModels {
    private TinyModels() {}

    /**
     * The model with {@code classes} classes on the shortest clip it accepts (T from 2), then the
     * smallest square frames (multiples of 16), as found by the registry's own input check.
     */
    static VideoModel smallest(String name, String backbone, int classes) {
        int frames = -1;
        for (int t = 2; t <= 32 && frames < 0; t++) {
            if (accepts(name, backbone, classes, t, 128)) {
                frames = t;
            }
        }
        for (int size = 16; size <= 128; size += 16) {
            if (accepts(name, backbone, classes, frames, size)) {
                return ModelRegistry.create(name, config(backbone, classes, frames, size));
            }
        }
        throw new AssertionError(name + " accepts no clip up to " + frames + "x128x128");
    }

    private static boolean accepts(String name, String backbone, int classes, int frames, int size) {
        if (frames < 0) {
            return false;
        }
        try {
            ModelRegistry.create(name, config(backbone, classes, frames, size));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static ModelConfig config(String backbone, int classes, int frames, int size) {
        ModelConfig.Builder b = ModelConfig.builder().setNumClasses(classes).optFrames(frames).optSize(size);
        if (backbone != null) {
            b.optBackbone(backbone);
        }
        return b.build();
    }

    /** Trainable parameters of an initialised block, as DJL holds them. */
    static long trainableParameters(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().getShape().size();
            }
        }
        return n;
    }
}

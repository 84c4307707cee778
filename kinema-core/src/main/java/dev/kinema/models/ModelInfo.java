package dev.kinema.models;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * A registered model: its name, a one-line description, its default config (classes, clip size,
 * backbone), and the 2D backbones it accepts (empty when its architecture is fixed).
 */
public record ModelInfo(String name, String description, ModelConfig defaults, List<String> backbones) {
    public ModelInfo {
        backbones = List.copyOf(backbones);
        if (!defaults.isComplete()) {
            throw new IllegalArgumentException(name + ": default config must set frames and size");
        }
    }

    /** The clip the model takes by default, C×T×H×W. */
    public Shape defaultInputShape() {
        return defaults.inputShape();
    }

    /** True when {@link ModelConfig#backbone()} applies. */
    public boolean takesBackbone() {
        return !backbones.isEmpty();
    }
}

package dev.kinema.models.separation;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/**
 * Visually guided source separation: {@code sound-of-pixels} ({@link SoundOfPixels}). It is trained
 * by the {@code mix-and-separate} task, not as a classifier; its "classes" are the K channels that
 * the visual vector and the U-Net share. Default clip: 4 frames of 64×64.
 */
public final class SeparationFamily implements ModelFamily {
    @Override
    public int order() {
        return 1700;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.builder().setNumClasses(SoundOfPixels.DEFAULT_CHANNELS).optFrames(4).optSize(64).build();
        return List.of(new Model(new ModelInfo("sound-of-pixels",
                "The Sound of Pixels, small: frame CNN pooled to K=16 channels, a 3-level U-Net (16-32-64) on the"
                        + " mixture's 64-bin log-frequency magnitude, mask = sigmoid(sum_k v_k s_k + b)",
                defaults, List.of()), SoundOfPixels::build));
    }
}

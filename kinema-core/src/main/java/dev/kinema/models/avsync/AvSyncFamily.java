package dev.kinema.models.avsync;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/**
 * Self-supervised audio-visual networks: synchronisation (is this sound in time with these frames?)
 * and correspondence (does this sound belong to this clip, and where in it?). Both output one logit
 * and train on any videos with sound through the {@code av-sync} and {@code av-correspondence}
 * tasks; their clips are packed RGB + log-mel, 8 frames of 32×32 by default.
 */
public final class AvSyncFamily implements ModelFamily {
    @Override
    public int order() {
        return 1800;
    }

    @Override
    public List<Model> models() {
        ModelConfig binary = ModelConfig.builder().setNumClasses(1).optFrames(8).optSize(32).optChannels(4).build();
        return List.of(
                new Model(new ModelInfo("av-sync-net",
                        "audio-visual synchronisation: per-time visual (max over space) and audio event detectors, their"
                                + " covariances over time weighed into one aligned-vs-shifted logit",
                        binary, List.of()), AvSyncModels::sync),
                new Model(new ModelInfo("av-correspondence",
                        "Objects that Sound: max over positions of the cosine between the audio embedding and the visual"
                                + " map's embeddings; the per-position cosine is the sound-source heat map",
                        binary, List.of()), AvSyncModels::correspondence));
    }
}

package dev.kinema.models.avsync;

import ai.djl.nn.core.Linear;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.audio.AudioModels;
import dev.kinema.models.frame.Backbone;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.NamedSequential;

/**
 * Builders of the self-supervised audio-visual networks. Both take packed 4-channel clips (RGB and
 * the log-mel plane, as {@code av-mid}) and reuse the audio family's trunks: the small visual 3D
 * CNN (16-32-64 channels, /2 in time, /4 in space) and the audio CNN (4 × conv + pool, 128 channels).
 */
final class AvSyncModels {
    /** Event detectors per stream whose covariances over time the synchronisation network weighs. */
    static final int EVENTS = 64;
    /** Width of the correspondence network's shared embedding. */
    static final int EMBEDDING = 64;

    private AvSyncModels() {}

    /**
     * {@code av-sync-net}: the visual map reduced over space and the audio map over frequency, time
     * kept in both, each projected to {@link #EVENTS} detectors per time step, and their covariances
     * over time ({@link SyncFusion}) weighed by one linear classifier: a single logit, aligned against
     * shifted.
     */
    static VideoModel sync(ModelConfig c) {
        ModelConfig packed = packed(c);
        long audioChannels = 128;
        SyncFusion body = new SyncFusion(AudioModels.visual(packed).features(), AudioModels.body(mono(packed), Backbone.SMALL),
                packed.layers().convNormAct(ConvSpec.conv3d(visualChannels(), EVENTS, 1, 1, 1)),
                packed.layers().convNormAct(ConvSpec.conv3d(audioChannels, EVENTS, 1, 1, 1)), EVENTS);
        return new VideoModel("av-sync-net", packed, body,
                NamedSequential.layers().add("classifier", new LinearClassifier(c.numClasses())));
    }

    /**
     * {@code av-correspondence}: per-position cosines of visual and audio embeddings, their maximum,
     * and a linear classifier on it (a learned scale and bias: the correspondence logit).
     */
    static VideoModel correspondence(ModelConfig c) {
        ModelConfig packed = packed(c);
        CorrespondenceMaps body = new CorrespondenceMaps(AudioModels.visual(packed).features(),
                AudioModels.body(mono(packed), Backbone.SMALL),
                packed.layers().conv(ConvSpec.conv3d(visualChannels(), EMBEDDING, 1, 1, 1)),
                Linear.builder().setUnits(EMBEDDING).build(), EMBEDDING);
        return new VideoModel("av-correspondence", packed, body,
                NamedSequential.layers().add("classifier", new LinearClassifier(c.numClasses())));
    }

    /** Output channels of the audio family's visual 3D CNN. */
    private static long visualChannels() {
        return 64;
    }

    private static ModelConfig packed(ModelConfig c) {
        return c.toBuilder().optChannels(4).build();
    }

    private static ModelConfig mono(ModelConfig c) {
        return c.toBuilder().optChannels(1).build();
    }
}

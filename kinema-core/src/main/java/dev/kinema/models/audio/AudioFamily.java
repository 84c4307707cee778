package dev.kinema.models.audio;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/**
 * The audio and audio-visual networks (the lecture's "more senses"). Their clips carry the sound as a
 * log-mel plane: 1 channel for audio alone, 4 (RGB and the plane) for audio-visual models.
 * Defaults: 8 frames of 32×32, whose plane holds 128 log-mel frames (1.28 s: 8 frames at stride 4
 * of 25 fps video).
 */
public final class AudioFamily implements ModelFamily {
    @Override
    public int order() {
        return 1300;
    }

    @Override
    public List<Model> models() {
        ModelConfig audio = ModelConfig.builder().setNumClasses(10).optFrames(8).optSize(32).optChannels(1).build();
        ModelConfig audioVisual = audio.toBuilder().optChannels(AudioModels.PACKED_CHANNELS).build();
        return List.of(
                new Model(new ModelInfo("audio-cnn",
                        "2D CNN on the 64-mel log spectrogram: 4 x (3x3 conv + BN + ReLU + 2x2 max pool), 16-32-64-128",
                        audio, List.of()), AudioModels::cnn),
                new Model(new ModelInfo("audio-resnet18",
                        "ResNet-18 (torchvision's structure) on the 64-mel log spectrogram, 1 input channel",
                        audio, List.of()), AudioModels::resnet18),
                new Model(new ModelInfo("av-visual",
                        "the audio-visual models' visual stream alone, the video-only baseline: 3 x (3x3x3 conv + BN + ReLU), 16-32-64, pooled, linear",
                        audio.toBuilder().optChannels(3).build(), List.of()), AudioModels::visual),
                new Model(new ModelInfo("av-late",
                        "late fusion: a small 3D CNN on the frames and audio-cnn on the log-mel, class probabilities averaged",
                        audioVisual, List.of()), AudioModels::lateFusion),
                new Model(new ModelInfo("av-mid",
                        "mid-level fusion: the 3D CNN's and the audio CNN's pooled features concatenated, one linear classifier",
                        audioVisual, List.of()), AudioModels::midFusion),
                new Model(new ModelInfo("av-mid-gated",
                        "gated mid-level fusion: as av-mid, but a sigmoid gate computed from the audio features scales the visual ones",
                        audioVisual, List.of()), AudioModels::gatedMidFusion));
    }
}

package dev.kinema.models.audio;

import ai.djl.ndarray.types.Shape;

import dev.kinema.audio.PackedAudio;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.frame.Backbone;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.models.twostream.TwoStreamModels;
import dev.kinema.nn.ChannelStreams;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.GatedFusion;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Pooling;
import dev.kinema.nn.SpectrogramPlane;

/**
 * Audio networks: 2D CNNs over the clip's log-mel spectrogram (64 mels × 10 ms frames), which rides
 * in the clip tensor as a 1×T×H×W plane ({@code audio.PackedAudio}); the first layer reads it back
 * as a 1×64×(T·H·W/64) image. The 2D bodies are the frame models' ({@link Backbone}), on one input
 * channel, as audio CNNs on log-mel usually are (VGGish-like stacks, ResNet-18 in PANNs and
 * "Objects that Sound").
 */
public final class AudioModels {
    private AudioModels() {}

    /** Four 3×3 conv + BN + ReLU + 2×2 max pool layers, 16-32-64-128 channels. */
    static VideoModel cnn(ModelConfig c) {
        return build("audio-cnn", audioConfig(c), Backbone.SMALL);
    }

    /** torchvision's ResNet-18 on the log-mel image (7×7/2 stem on 1 channel). */
    static VideoModel resnet18(ModelConfig c) {
        return build("audio-resnet18", audioConfig(c), Backbone.RESNET18);
    }

    /** The audio body alone, from the packed plane to its last feature map (for the fusion models too). */
    public static NamedSequential body(ModelConfig c, Backbone backbone) {
        NamedSequential net = NamedSequential.layers().add("plane", new SpectrogramPlane(PackedAudio.MELS));
        backbone.addTo(net, c.layers(), 1);
        return net;
    }

    /**
     * {@code av-late}: the visual 3D CNN and {@code audio-cnn}, each with its own classifier, on
     * packed 4-channel clips; the output is the log of their averaged class probabilities (late
     * fusion of scores, as the two-stream network fuses its streams).
     */
    static VideoModel lateFusion(ModelConfig c) {
        ChannelStreams streams = new ChannelStreams("AudioVisualStreams", "visual", visual(c), 3, "audio", cnn(audioConfig(c)), 1,
                false);
        return new VideoModel("av-late", withChannels(c, PACKED_CHANNELS), streams, new TwoStreamModels.ProbabilityAverage());
    }

    /**
     * {@code av-mid}: mid-level fusion: the visual 3D CNN's and the audio CNN's globally pooled
     * features concatenated (64 + 128), then one linear classifier over both.
     */
    static VideoModel midFusion(ModelConfig c) {
        return midFusion(c, MidFusion.CONCAT);
    }

    /**
     * {@code av-mid-gated}: as {@code av-mid}, but the audio features gate the visual ones through a
     * learned sigmoid before the classifier ({@link GatedFusion}): {@code [σ(W·audio + b) ⊙ visual, audio]}.
     */
    static VideoModel gatedMidFusion(ModelConfig c) {
        return midFusion(c, MidFusion.GATED);
    }

    /** How {@code av-mid} joins the two pooled feature vectors. */
    enum MidFusion {
        /** Side by side, one linear classifier over both (the default, {@code av-mid}). */
        CONCAT,
        /** The audio gates the visual features first ({@code av-mid-gated}). */
        GATED
    }

    static VideoModel midFusion(ModelConfig c, MidFusion fusion) {
        ChannelStreams streams = new ChannelStreams("AudioVisualStreams", "visual", visual(c).features(), 3, "audio",
                body(audioConfig(c), Backbone.SMALL), 1, true);
        NamedSequential head = NamedSequential.layers();
        if (fusion == MidFusion.GATED) {
            head.add("gate", new GatedFusion(VISUAL_FEATURES, AUDIO_FEATURES));
        }
        head.add("fusion", new LinearClassifier(c.numClasses()));
        return new VideoModel(fusion == MidFusion.GATED ? "av-mid-gated" : "av-mid", withChannels(c, PACKED_CHANNELS), streams, head);
    }

    /** Widths of the pooled features: the visual 3D CNN's last conv, and audio-cnn's ({@link Backbone#SMALL}). */
    static final int VISUAL_FEATURES = 64;
    static final int AUDIO_FEATURES = 128;

    /** Channels of an audio-visual clip: RGB and the log-mel plane. */
    static final int PACKED_CHANNELS = 4;

    /**
     * The visual stream: a small 3D CNN, Conv3D 16 + MaxPool(1x2x2), Conv3D 32 + MaxPool(2x2x2),
     * Conv3D 64 (3x3x3, BN, ReLU), global pool, linear.
     */
    public static VideoModel visual(ModelConfig c) {
        ModelConfig rgb = withChannels(c, 3);
        LayerFactory layers = rgb.layers();
        NamedSequential features = NamedSequential.layers()
                .add("conv1", layers.convNormAct(ConvSpec.conv3d(3, 16, 3, 3, 3)))
                .add("pool1", Pooling.max(new Shape(1, 2, 2)))
                .add("conv2", layers.convNormAct(ConvSpec.conv3d(16, 32, 3, 3, 3)))
                .add("pool2", Pooling.max(new Shape(2, 2, 2)))
                .add("conv3", layers.convNormAct(ConvSpec.conv3d(32, VISUAL_FEATURES, 3, 3, 3)));
        return new VideoModel("av-visual", rgb, features, LinearHead.pooled(c.numClasses()));
    }

    private static ModelConfig audioConfig(ModelConfig c) {
        return withChannels(c, 1);
    }

    private static ModelConfig withChannels(ModelConfig c, int channels) {
        return c.toBuilder().optChannels(channels).build();
    }

    private static VideoModel build(String name, ModelConfig c, Backbone backbone) {
        return new VideoModel(name, c, body(c, backbone), LinearHead.pooled(c.numClasses()));
    }
}

package dev.kinema.models.frame;

import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.Flatten;
import dev.kinema.nn.FrameConsensus;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PerFrame;
import dev.kinema.nn.TimeToChannels;

/**
 * The lecture's models built on a 2D image backbone (Karpathy et al. 2014): single frame, late
 * fusion (FC or pooling) and early fusion. They differ only in where time is fused.
 */
public final class FrameModels {
    /** Hidden units of the late-fusion MLP. */
    static final int LATE_FUSION_HIDDEN = 256;

    private FrameModels() {}

    /**
     * The backbone on every frame; per-frame global pooling and classifier; per-frame scores averaged
     * (logits while training, probabilities at inference: {@link FrameConsensus}).
     */
    public static VideoModel singleFrame(ModelConfig c) {
        NamedSequential head = NamedSequential.layers()
                .add("frames", new PerFrame(LinearHead.pooled(c.numClasses())))
                .add("consensus", new FrameConsensus());
        return new VideoModel("single-frame", c, perFrameBackbone(c), head);
    }

    /** The backbone on every frame; all T×D×H'×W' features concatenated into an MLP. */
    static VideoModel lateFusionFc(ModelConfig c) {
        LayerFactory layers = c.layers();
        NamedSequential head = NamedSequential.layers()
                .add("flatten", new Flatten())
                .add("fc1", NamedSequential.unit()
                        .add("linear", Linear.builder().setUnits(LATE_FUSION_HIDDEN).build())
                        .add("act", layers.activation())
                        .add("dropout", Dropout.builder().optRate(0.5f).build()))
                .add("fc2", new LinearClassifier(c.numClasses()));
        return new VideoModel("late-fusion-fc", c, perFrameBackbone(c), head);
    }

    /** The backbone on every frame; average over space and time; a linear classifier. */
    static VideoModel lateFusionPool(ModelConfig c) {
        return new VideoModel("late-fusion-pool", c, perFrameBackbone(c), LinearHead.pooled(c.numClasses()));
    }

    /** The clip reshaped to 3T×H×W, so the backbone's first convolution sees every frame. */
    public static VideoModel earlyFusion(ModelConfig c) {
        NamedSequential features = NamedSequential.layers().add("fold", new TimeToChannels());
        backbone(c).addTo(features, c.layers(), (long) c.channels() * c.frames());
        return new VideoModel("early-fusion", c, features, LinearHead.pooled(c.numClasses()));
    }

    private static PerFrame perFrameBackbone(ModelConfig c) {
        NamedSequential frameNet = NamedSequential.layers();
        backbone(c).addTo(frameNet, c.layers(), c.channels());
        return new PerFrame(frameNet);
    }

    private static Backbone backbone(ModelConfig c) {
        return Backbone.named(c.backbone().orElseThrow(() -> new IllegalArgumentException("no backbone in " + c)));
    }
}

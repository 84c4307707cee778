package dev.kinema.models.frame;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** The lecture's frame models on a 2D backbone (Karpathy et al. 2014): single frame, late and early fusion. */
public final class FrameFamily implements ModelFamily {
    @Override
    public int order() {
        return 100;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.of(400, 8, 112).toBuilder().optBackbone(Backbone.SMALL.cliName()).build();
        List<String> backbones = Backbone.names();
        return List.of(
                new Model(new ModelInfo("single-frame",
                        "2D CNN on every frame; at test time the per-frame class probabilities are averaged",
                        defaults, backbones), FrameModels::singleFrame),
                new Model(new ModelInfo("late-fusion-fc",
                        "2D CNN on every frame; the T x D x H' x W' features, concatenated, feed an MLP",
                        defaults, backbones), FrameModels::lateFusionFc),
                new Model(new ModelInfo("late-fusion-pool",
                        "2D CNN on every frame; average over space and time, then a linear layer",
                        defaults, backbones), FrameModels::lateFusionPool),
                new Model(new ModelInfo("early-fusion",
                        "frames stacked as 3T x H x W; the first 2D conv sees every frame",
                        defaults, backbones), FrameModels::earlyFusion));
    }
}

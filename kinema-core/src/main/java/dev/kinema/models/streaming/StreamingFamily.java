package dev.kinema.models.streaming;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/**
 * Causal networks that stream one frame at a time with fixed memory (MoViNet-style stream buffers,
 * Kondratyuk et al. 2021): X3D-S and R(2+1)D-18 made causal by {@link dev.kinema.nn.Causal}.
 */
public final class StreamingFamily implements ModelFamily {
    @Override
    public int order() {
        return 1400;
    }

    @Override
    public List<Model> models() {
        return List.of(
                new Model(new ModelInfo("stream-x3d-s",
                        "Causal X3D-S (MoViNet-style): past-padded temporal convs with stream buffers, causal SE"
                                + " and cumulative average pooling; streams one frame at a time; 13 x 160 x 160 clips",
                        ModelConfig.of(400, 13, 160), List.of()), StreamingModels::x3dS),
                new Model(new ModelInfo("stream-r2plus1d-18",
                        "Causal R(2+1)D-18: past-padded 3x1x1 convs with stream buffers, no temporal stride,"
                                + " cumulative average pooling; streams one frame at a time; 16 x 112 x 112 clips",
                        ModelConfig.of(400, 16, 112), List.of()), StreamingModels::r2plus1d18));
    }
}

package dev.kinema.models.detection;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** Spatio-temporal action detection (AVA): 3D backbones with a RoI head over actor boxes. */
public final class DetectionFamily implements ModelFamily {
    @Override
    public int order() {
        return 1600;
    }

    @Override
    public List<Model> models() {
        return List.of(new Model(new ModelInfo("roi-tiny-3d",
                "AVA-style actor classifier: small 3D CNN (stride 8, no temporal stride), temporal mean, RoIAlign 4x4 "
                        + "per box, spatial max, fc 64, one sigmoid per action; without boxes, the whole frame",
                ModelConfig.of(80, 8, 112), List.of()), DetectionModels::roiTiny3d));
    }
}

package dev.kinema.models.cnn3d;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** 3D CNNs: slow fusion, tiny-3d and C3D. */
public final class Cnn3dFamily implements ModelFamily {
    @Override
    public int order() {
        return 200;
    }

    @Override
    public List<Model> models() {
        return List.of(
                new Model(new ModelInfo("slow-fusion",
                        "3D CNN: 3x3x3 convs and 3D max pooling throughout, global pool, linear",
                        ModelConfig.of(400, 8, 112), List.of()), Cnn3dModels::slowFusion),
                new Model(new ModelInfo("tiny-3d",
                        "smallest useful 3D CNN: Conv3D 8 (stride 1x2x2), MaxPool3D(1x2x2), Conv3D 16, global pool, linear",
                        ModelConfig.of(400, 8, 56), List.of()), Cnn3dModels::tiny3d),
                new Model(new ModelInfo("c3d",
                        "C3D (Tran et al. 2015), the lecture's table: 8 3x3x3 convs, 5 pools, fc6/fc7 4096",
                        ModelConfig.of(487, 16, 112), List.of()), Cnn3dModels::c3d));
    }
}

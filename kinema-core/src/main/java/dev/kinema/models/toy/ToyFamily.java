package dev.kinema.models.toy;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** The lecture's three toy networks on 3 x 20 x 64 x 64 clips, to compare receptive fields. */
public final class ToyFamily implements ModelFamily {
    @Override
    public int order() {
        return 300;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.of(10, 20, 64);
        return List.of(
                new Model(new ModelInfo("toy-late-fusion",
                        "lecture toy: per-frame Conv2D(3x3, 3->12), Pool2D(4x4), Conv2D(3x3, 12->24), global pool",
                        defaults, List.of()), ToyModels::lateFusion),
                new Model(new ModelInfo("toy-early-fusion",
                        "lecture toy: Conv2D(3x3, 3T->12), Pool2D(4x4), Conv2D(3x3, 12->24), global pool",
                        defaults, List.of()), ToyModels::earlyFusion),
                new Model(new ModelInfo("toy-3d",
                        "lecture toy: Conv3D(3x3x3, 3->12), Pool3D(4x4x4), Conv3D(3x3x3, 12->24), global pool",
                        defaults, List.of()), ToyModels::cnn3d));
    }
}

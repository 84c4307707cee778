package dev.kinema.models.slowfast;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** SlowFast (Feichtenhofer et al. 2019) as PyTorchVideo builds it. */
public final class SlowFastFamily implements ModelFamily {
    @Override
    public int order() {
        return 800;
    }

    @Override
    public List<Model> models() {
        return List.of(
                new Model(new ModelInfo("slowfast_r50",
                        "SlowFast R50 8x8 (PyTorchVideo): slow pathway on T/4 frames, fast on all T with 1/8 channels, lateral convs",
                        ModelConfig.of(400, 32, 224), List.of()), SlowFast::slowfastR50));
    }
}

package dev.kinema.models.x3d;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** X3D (Feichtenhofer 2020) as PyTorchVideo builds it: one network on three clip sizes. */
public final class X3dFamily implements ModelFamily {
    @Override
    public int order() {
        return 900;
    }

    @Override
    public List<Model> models() {
        return List.of(
                new Model(new ModelInfo("x3d_xs",
                        "X3D-XS (PyTorchVideo): depthwise 3x3x3 bottlenecks, squeeze-excitation, Swish; 4 x 160 x 160",
                        ModelConfig.of(400, 4, 160), List.of()), X3d::xs),
                new Model(new ModelInfo("x3d_s",
                        "X3D-S (PyTorchVideo): the X3D-XS network on 13 x 160 x 160 clips",
                        ModelConfig.of(400, 13, 160), List.of()), X3d::s),
                new Model(new ModelInfo("x3d_m",
                        "X3D-M (PyTorchVideo): the X3D-XS network on 16 x 224 x 224 clips",
                        ModelConfig.of(400, 16, 224), List.of()), X3d::m));
    }
}

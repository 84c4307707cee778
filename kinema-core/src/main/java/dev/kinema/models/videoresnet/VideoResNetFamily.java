package dev.kinema.models.videoresnet;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** torchvision's video ResNets (Tran et al. 2018): R3D, MC3 and R(2+1)D. */
public final class VideoResNetFamily implements ModelFamily {
    @Override
    public int order() {
        return 600;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.of(400, 16, 112);
        return List.of(
                new Model(new ModelInfo("r3d_18",
                        "R3D-18 (Tran et al. 2018, torchvision): ResNet-18 with 3x3x3 convs throughout",
                        defaults, List.of()), VideoResNet::r3d18),
                new Model(new ModelInfo("mc3_18",
                        "MC3-18 (torchvision): 3D convs in the stem and layer1, 2D (1x3x3) convs in layer2-4",
                        defaults, List.of()), VideoResNet::mc318),
                new Model(new ModelInfo("r2plus1d_18",
                        "R(2+1)D-18 (torchvision): every 3x3x3 conv factored into 1x3x3 spatial + 3x1x1 temporal",
                        defaults, List.of()), VideoResNet::r2plus1d18),
                new Model(new ModelInfo("r2plus1d_34",
                        "R(2+1)D-34: the (2+1)D network with 3, 4, 6, 3 blocks per stage",
                        defaults, List.of()), VideoResNet::r2plus1d34));
    }
}

package dev.kinema.models.i3d;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** I3D (Carreira and Zisserman 2017) on RGB and on optical flow. */
public final class I3dFamily implements ModelFamily {
    @Override
    public int order() {
        return 500;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.of(400, 64, 224);
        return List.of(
                new Model(new ModelInfo("i3d",
                        "I3D (Carreira & Zisserman 2017): Inception-v1 inflated to 3D, RGB (names as piergiaj/pytorch-i3d)",
                        defaults, List.of()), I3d::rgb),
                new Model(new ModelInfo("i3d-flow",
                        "I3D on optical flow: 2-channel (x, y) clips, otherwise as i3d",
                        defaults.toBuilder().optChannels(2).build(), List.of()), I3d::flow));
    }
}

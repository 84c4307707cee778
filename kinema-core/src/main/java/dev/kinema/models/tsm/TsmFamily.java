package dev.kinema.models.tsm;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/** TSM (Lin et al. 2019) on torchvision's ResNet-18 and ResNet-50. */
public final class TsmFamily implements ModelFamily {
    @Override
    public int order() {
        return 700;
    }

    @Override
    public List<Model> models() {
        ModelConfig defaults = ModelConfig.of(400, 8, 224);
        return List.of(
                new Model(new ModelInfo("tsm_r18",
                        "TSM (Lin et al. 2019): torchvision ResNet-18 per frame, temporal shift in every block, logits averaged",
                        defaults, List.of()), Tsm::r18),
                new Model(new ModelInfo("tsm_r50",
                        "TSM (Lin et al. 2019): torchvision ResNet-50 per frame, temporal shift in every block, logits averaged",
                        defaults, List.of()), Tsm::r50));
    }
}

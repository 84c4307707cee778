package dev.kinema.models.videomae;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import java.util.List;

/**
 * VideoMAE's classifiers: the ViT-B reference ({@code videomae}, 16×224×224, 2×16×16 tubelets) and a
 * small one for Kinema-Motion on a few cores ({@code videomae-small}, 8×112×112). Both are
 * pretrained by {@code kinema pretrain} ({@link VideoMaes#pretraining}) and fine-tuned from its
 * encoder, or trained from scratch like any model.
 */
public final class VideoMaeFamily implements ModelFamily {
    @Override
    public int order() {
        return 1200;
    }

    @Override
    public List<Model> models() {
        return List.of(
                model("videomae", "VideoMAE (Tong et al. 2022) ViT-B/16 on 2x16x16 tubelets, q/v biases, fixed sin-cos"
                        + " positions, mean pooling; pretrained by masked tube reconstruction", ModelConfig.of(400, 16, 224)),
                model("videomae-small", "VideoMAE small: width 96, 4 blocks of 4 heads, 2x16x16 tubelets, for"
                        + " Kinema-Motion on 2 cores", ModelConfig.of(400, 8, 112)));
    }

    private static Model model(String name, String description, ModelConfig defaults) {
        return new Model(new ModelInfo(name, description, defaults, List.of()),
                c -> VideoMaes.classifier(name, VideoMaes.spec(name), c));
    }
}

package dev.kinema.models.transformer;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelFamily;
import dev.kinema.models.ModelInfo;
import dev.kinema.nn.SpaceTimeAttention;
import java.util.ArrayList;
import java.util.List;

/**
 * The video transformers: ViViT's four models and TimeSformer's three attentions, each at its
 * reference size (ViT-Base, as published) and small ({@code -small}: width 64, 4 blocks of 4
 * heads, for Kinema-Motion on a few cores); and MViT, torchvision's {@code mvit_v1_b} and
 * {@code mvit_v2_s} and a small v2 ({@code mvit-small}).
 */
public final class TransformerFamily implements ModelFamily {
    @Override
    public int order() {
        return 1100;
    }

    @Override
    public List<Model> models() {
        List<Model> out = new ArrayList<>();
        ModelConfig vivitDefaults = ModelConfig.of(400, 32, 224);
        ModelConfig timesformerDefaults = ModelConfig.of(400, 8, 224);
        ModelConfig smallDefaults = ModelConfig.of(400, 8, 112);
        ModelConfig mvitDefaults = ModelConfig.of(400, 16, 224);
        String[][] vivit = {
            {"vivit-joint", "ViViT model 1 (Arnab et al. 2021): joint space-time attention over all tubelet tokens"},
            {"vivit-fe", "ViViT model 2: factorised encoder, a spatial transformer per frame group, then a temporal one"},
            {"vivit-fsa", "ViViT model 3: factorised self-attention, spatial then temporal attention in each block"},
            {"vivit-fdp", "ViViT model 4: factorised dot-product attention, half the heads over space, half over time"},
        };
        SpaceTimeAttention[] vivitAttention = {SpaceTimeAttention.JOINT, null,
            SpaceTimeAttention.FACTORISED_SELF_ATTENTION, SpaceTimeAttention.FACTORISED_DOT_PRODUCT};
        for (boolean base : new boolean[] {true, false}) {
            String suffix = base ? "" : "-small";
            String size = base ? " (ViT-B/16, 2-frame tubelets)" : " (small: width 64, 4 blocks)";
            for (int i = 0; i < vivit.length; i++) {
                String name = vivit[i][0] + suffix;
                TransformerSpec spec = vivitAttention[i] == null ? VideoTransformers.vivitFactorisedEncoder(base)
                        : VideoTransformers.vivit(vivitAttention[i], base);
                out.add(model(name, vivit[i][1] + size, base ? vivitDefaults : smallDefaults, spec));
            }
            out.add(model("timesformer" + suffix, "TimeSformer (Bertasius et al. 2021): divided space-time attention"
                    + size, base ? timesformerDefaults : smallDefaults, VideoTransformers.timesformer(SpaceTimeAttention.DIVIDED, base)));
            out.add(model("timesformer-joint" + suffix, "TimeSformer with joint space-time attention" + size,
                    base ? timesformerDefaults : smallDefaults, VideoTransformers.timesformer(SpaceTimeAttention.JOINT, base)));
            out.add(model("timesformer-space" + suffix, "TimeSformer with space-only attention, frames averaged" + size,
                    base ? timesformerDefaults : smallDefaults, VideoTransformers.timesformer(SpaceTimeAttention.SPACE, base)));
        }
        out.add(new Model(new ModelInfo("mvit_v1_b", "MViT v1-B (Fan et al. 2021): pooling attention over a"
                + " shrinking token grid, as torchvision's mvit_v1_b", mvitDefaults, List.of()),
                c -> MViT.build("mvit_v1_b", MViTSpec.v1Base(), c)));
        out.add(new Model(new ModelInfo("mvit_v2_s", "MViT v2-S (Li et al. 2022): pooling attention with relative"
                + " positions and residual pooling, as torchvision's mvit_v2_s", mvitDefaults, List.of()),
                c -> MViT.build("mvit_v2_s", MViTSpec.v2Small(), c)));
        out.add(new Model(new ModelInfo("mvit-small", "MViT v2 design, small: 5 blocks of widths 32, 64, 128",
                smallDefaults, List.of()), c -> MViT.build("mvit-small", MViTSpec.small(), c)));
        return out;
    }

    private static Model model(String name, String description, ModelConfig defaults, TransformerSpec spec) {
        return new Model(new ModelInfo(name, description, defaults, List.of()), c -> VideoTransformers.build(name, spec, c));
    }
}

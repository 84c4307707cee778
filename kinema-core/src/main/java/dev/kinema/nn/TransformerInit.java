package dev.kinema.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;

/**
 * The weight initialisation timm's ViT ({@code init_weights_vit_timm}) and torchvision's MViT give
 * a transformer: every linear layer's weight drawn from N(0, 0.02²) (their {@code trunc_normal_}
 * cuts at ±2, a hundred standard deviations, so it is the plain normal), biases zero; LayerNorms
 * start at 1 and 0 and position tables and class tokens at N(0, 0.02²) on their own.
 *
 * <p>DJL's default for a weight is He's normal, σ = √(2/fan_in): 0.18 at width 64, nine times
 * timm's. In a pre-norm transformer that makes every residual branch about as large as the stream
 * it is added to, the attention scores start with a standard deviation near 4 (softmax saturated)
 * and the logits are large at the first step; with AdamW at 1e-3 the small ViViT then diverged
 * (docs/results.md). Convolutions (the patch embedding) keep their default.
 */
public final class TransformerInit {
    /** timm's and torchvision's standard deviation of a linear weight. */
    public static final float LINEAR_STD = 0.02f;

    private TransformerInit() {}

    /** Sets timm's initialiser on every linear layer inside {@code block}; returns {@code block}. */
    public static <B extends Block> B timm(B block) {
        if (block instanceof Linear) {
            block.setInitializer(new NormalInitializer(LINEAR_STD), Parameter.Type.WEIGHT);
        }
        block.getChildren().values().forEach(TransformerInit::timm);
        return block;
    }
}

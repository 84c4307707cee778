package dev.kinema.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.Locale;
import java.util.Objects;

/**
 * The optimiser part of a {@link TrainConfig} (the {@code optimizer} object of {@code config.json}),
 * as MMAction2's {@code optim_wrapper.optimizer}: which update rule and its hyper-parameters.
 *
 * @param name {@code sgd} or {@code adamw}
 * @param lr the peak learning rate, reached after warm-up
 * @param momentum SGD's momentum, and AdamW's β1 (the same running average of the gradient); 0.9
 *     in runs written before it was a setting
 * @param weightDecay weight decay (L2 for SGD, decoupled for AdamW) on conv and linear weights
 * @param layerDecay layer-wise learning-rate decay of a ViT-like model ({@link LayerDecay}), or
 *     null for none (absent from {@code config.json}, as in runs written before it existed)
 * @param clipGradNorm the largest global L2 norm of all gradients before an update, larger ones
 *     scaled down to it ({@link GradientClipping}; MMAction2's {@code optim_wrapper.clip_grad.max_norm},
 *     timm's {@code --clip-grad}), or null for none: the default, absent from {@code config.json}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OptimizerConfig(String name, double lr, double momentum, double weightDecay, Double layerDecay,
        Double clipGradNorm) {
    /** The momentum (and AdamW β1) Kinema has always used. */
    public static final double DEFAULT_MOMENTUM = 0.9;

    public OptimizerConfig {
        name = Objects.requireNonNull(name, "optimizer").toLowerCase(Locale.ROOT);
        if (!name.equals("sgd") && !name.equals("adamw")) {
            throw new IllegalArgumentException("optimizer must be sgd or adamw, got " + name);
        }
        if (!(lr > 0) || !Double.isFinite(lr) || !(weightDecay >= 0) || !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("need lr > 0, weight decay >= 0 and momentum in [0, 1), got lr " + lr
                    + ", weight decay " + weightDecay + ", momentum " + momentum);
        }
        if (layerDecay != null && !(layerDecay > 0 && layerDecay <= 1)) {
            throw new IllegalArgumentException("layer decay must be in (0, 1], got " + layerDecay);
        }
        if (clipGradNorm != null && !(clipGradNorm > 0 && Double.isFinite(clipGradNorm))) {
            throw new IllegalArgumentException("the gradient clipping norm must be finite and > 0, got " + clipGradNorm);
        }
    }

    /** Without gradient clipping. */
    public OptimizerConfig(String name, double lr, double momentum, double weightDecay, Double layerDecay) {
        this(name, lr, momentum, weightDecay, layerDecay, null);
    }

    /** Without layer decay or gradient clipping. */
    public OptimizerConfig(String name, double lr, double momentum, double weightDecay) {
        this(name, lr, momentum, weightDecay, null, null);
    }

    /** The defaults for {@code name}: lr 0.01 and weight decay 1e-4 for SGD, lr 1e-3 and 0.05 for AdamW. */
    public static OptimizerConfig defaults(String name) {
        boolean sgd = "sgd".equalsIgnoreCase(name);
        return new OptimizerConfig(name, sgd ? 0.01 : 1e-3, DEFAULT_MOMENTUM, sgd ? 1e-4 : 0.05);
    }
}

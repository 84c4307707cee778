package dev.kinema.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.tasks.MixUp;

/**
 * The training-only regularisers of a {@link TrainConfig}, all off by default; saved as the
 * {@code regularization} object of {@code config.json} (absent in runs written before it existed,
 * which read as {@link #NONE}).
 *
 * @param labelSmoothing ε of the cross-entropy's label smoothing, in [0, 1)
 * @param mixup α of mixup's Beta(α, α), 0 for none
 * @param cutmix α of cutmix's Beta(α, α), 0 for none
 * @param mixSwitchProbability the chance of cutmix rather than mixup for a batch when both are on
 * @param randAugmentOps N, the RandAugment operations applied to each training clip, 0 for none
 * @param randAugmentMagnitude M, their magnitude on RandAugment's 0–10 scale
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Regularization(double labelSmoothing, double mixup, double cutmix, double mixSwitchProbability,
        int randAugmentOps, int randAugmentMagnitude) {
    /** No label smoothing, mixing or RandAugment. */
    public static final Regularization NONE = new Regularization(0, 0, 0, 0.5, 0, 0);

    public Regularization {
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        if (randAugmentOps < 0 || randAugmentMagnitude < 0 || randAugmentMagnitude > 10) {
            throw new IllegalArgumentException("RandAugment needs N >= 0 operations at a magnitude M in 0..10, got "
                    + randAugmentOps + "," + randAugmentMagnitude);
        }
        new MixUp(mixup, cutmix, mixSwitchProbability); // rejects bad mixing settings now, not at the first batch
    }

    /** Mixup and cutmix as the task applies them. */
    public MixUp mixUp() {
        return new MixUp(mixup, cutmix, mixSwitchProbability);
    }
}

package dev.kinema.train;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * The schedule part of a {@link TrainConfig} (the {@code schedule} object of {@code config.json}):
 * how long the run is and how the learning rate moves, a linear warm-up then a cosine to zero
 * ({@link WarmupCosine}), as MMAction2's {@code train_cfg} and {@code param_scheduler}.
 *
 * @param epochs passes over the training videos
 * @param warmupEpochs linear warm-up length in epochs (at most half the run)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ScheduleConfig(int epochs, double warmupEpochs) {
    public ScheduleConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (!(warmupEpochs >= 0) || !Double.isFinite(warmupEpochs)) {
            throw new IllegalArgumentException("warm-up must be >= 0, got " + warmupEpochs);
        }
    }
}

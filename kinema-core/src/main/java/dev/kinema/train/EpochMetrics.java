package dev.kinema.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.eval.EvalResult;
import java.util.Map;

/**
 * One line of {@code RUN/metrics.jsonl}: what an epoch did (JSON keys in snake_case; the
 * validation keys are left out when there was no validation split).
 *
 * @param epoch 1-based
 * @param lr the learning rate of the epoch's last update
 * @param trainLoss the task's loss averaged over the epoch's training clips (cross-entropy, with label
 *     smoothing and mixed targets when they are on)
 * @param trainTop1 fraction of training clips whose top class was right (with augmentation, in
 *     training mode)
 * @param trainClips training clips seen (videos that could not be read are skipped)
 * @param clipsPerSecond training clips per second, decoding and updating included
 * @param seconds the epoch's wall time, validation included
 * @param valClipTop1 top-1 of the centre validation clip
 * @param valVideoTop1 top-1 of the softmax averaged over the validation clips
 * @param valVideoTop5 top-5 of that average
 * @param valMeanClassAccuracy video-level recall averaged over classes
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EpochMetrics(int epoch, double lr, double trainLoss, double trainTop1, int trainClips,
        double clipsPerSecond, double seconds, Double valClipTop1, Double valVideoTop1, Double valVideoTop5,
        Double valMeanClassAccuracy) {

    /**
     * This epoch's training numbers with {@code val}'s (or none, when null); {@code trainMetrics} is
     * the task's epoch summary, whose {@code top1} is kept (a task without it records 0).
     */
    static EpochMetrics of(int epoch, double lr, double trainLoss, Map<String, Double> trainMetrics, int trainClips,
            double clipsPerSecond, double seconds, EvalResult val) {
        return new EpochMetrics(epoch, lr, trainLoss, trainMetrics.getOrDefault("top1", 0.0), trainClips,
                clipsPerSecond, seconds,
                val == null ? null : val.clipTop1(), val == null ? null : val.videoTop1(),
                val == null ? null : val.videoTop5(), val == null ? null : val.meanClassAccuracy());
    }
}

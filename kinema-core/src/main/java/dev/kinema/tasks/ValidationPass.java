package dev.kinema.tasks;

import ai.djl.nn.Block;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.flow.FlowSource;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * One validation pass of a training run, as the trainer hands it to {@link TrainingTask#validate}.
 *
 * @param model the model being trained (run in inference mode)
 * @param videos the validation videos
 * @param input how the run's clips are made
 * @param clips uniformly spaced clips per video
 * @param workers decoding threads
 * @param flow where flow comes from, or null for a model that takes none
 * @param chunk clips per forward pass
 * @param progress told how many videos are done
 */
public record ValidationPass(Block model, List<VideoSample> videos, ModelInput input, int clips, int workers,
        FlowSource flow, int chunk, IntConsumer progress) {
    public ValidationPass {
        Objects.requireNonNull(model, "model");
        videos = List.copyOf(videos);
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(progress, "progress");
    }
}

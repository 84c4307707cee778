package dev.kinema.testing;

import dev.kinema.train.ModelFactory;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real trained run in seconds, for the modules that serve runs (kinema-serve, kinema-spark): one
 * epoch of tiny-3d on {@link TrainingVideos#movingSquares} ({@code left} and {@code right}).
 */
public final class TrainedRuns {
    private TrainedRuns() {}

    /** Renders the squares under {@code data} and trains a run into {@code run}; returns {@code run}. */
    public static Path tinySquares(Path data, Path run) throws IOException {
        TrainingVideos.movingSquares(data, 7, 3, 1);
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel("tiny-3d").optFrames(4).optStride(2)
                .optSize(24).optResize(28).optEpochs(1).optBatch(4).optOptimizer("sgd").optLr(0.05).optWarmupEpochs(0)
                .optValClips(1).optWorkers(1).optSeed(5).build();
        Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry()).setRunDirectory(run).build().fit();
        return run;
    }
}

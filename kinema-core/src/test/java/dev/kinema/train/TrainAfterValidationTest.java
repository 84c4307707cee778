package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.TrainingVideos;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The failure the CPU issue found on AMD Zen 5 with oneDNN: training went NaN at the first update
 * after the first validation pass, and identical runs gave different validation numbers. Here
 * registered models from that report train for three epochs with validation after each, twice: every
 * loss must be finite and the two histories identical, whatever kernels the guard chose.
 */
class TrainAfterValidationTest {
    @TempDir
    static Path data;

    @TempDir
    Path runs;

    @BeforeAll
    static void writeVideos() {
        TrainingVideos.movingSquares(data, 5, 4, 2);
    }

    private static TrainConfig config(String model) {
        return TrainConfig.builder().setData(data.toString()).setModel(model).optFrames(8).optStride(2).optSize(32)
                .optResize(36).optEpochs(3).optBatch(4).optOptimizer("sgd").optLr(0.05).optWarmupEpochs(1)
                .optValClips(2).optWorkers(2).optSeed(3).build();
    }

    private List<EpochMetrics> train(String model, String run) throws IOException {
        return Trainer.builder().setConfig(config(model)).setModelFactory(ModelFactory.registry())
                .setRunDirectory(runs.resolve(run)).build().fit();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"early-fusion", "r2plus1d_18"})
    void trainingAfterValidationStaysFiniteAndRepeatable(String model) throws IOException {
        List<EpochMetrics> first = train(model, "first");
        List<EpochMetrics> second = train(model, "second");
        assertEquals(3, first.size());
        for (EpochMetrics m : first) {
            assertTrue(Double.isFinite(m.trainLoss()), model + ": loss " + m.trainLoss() + " in epoch " + m.epoch());
        }
        assertEquals(TrainerTest.withoutTimes(first), TrainerTest.withoutTimes(second),
                model + ": two identical runs differ");
    }
}

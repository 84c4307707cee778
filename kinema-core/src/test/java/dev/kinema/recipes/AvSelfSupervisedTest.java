package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.synth.SoundingObjects;
import dev.kinema.tasks.AvSyncTask;
import dev.kinema.testing.SharedData;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The synchronisation task trained for real (one epoch) on sounding-and-silent videos, with its
 * metrics against the shift, and {@code av-sync} run with it on a real clip with sound. (The
 * correspondence task and {@code av-localize} are run by {@code AvCommandsTest} in kinema-cli.)
 */
class AvSelfSupervisedTest {
    @TempDir
    static Path dir;
    static Path data;

    @BeforeAll
    static void render() throws Exception {
        data = dir.resolve("data");
        SoundingObjects.write(new SoundingObjects.Options(data, 3, 11, 32, 25, 4));
    }

    private static List<EpochMetrics> train(String model, String task, int epochs, double lr, Path run) throws Exception {
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel(model).optTask(task).optFrames(8).optStride(4)
                .optSize(32).optResize(32).optEpochs(epochs).optBatch(8).optOptimizer("adamw").optLr(lr).optWarmupEpochs(0)
                .optValClips(1).optWorkers(1).optSeed(3).build();
        return Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry()).setRunDirectory(run).build().fit();
    }

    @Test
    void aSyncRunTrainsOnVideosWithSoundAndEstimatesTheOffsetOfARealClip() throws Exception {
        Path run = dir.resolve("sync");
        List<EpochMetrics> history = train("av-sync-net", AvSyncTask.NAME, 1, 1e-3, run);
        EpochMetrics epoch = history.get(0);
        assertTrue(Double.isFinite(epoch.trainLoss()), "loss " + epoch.trainLoss());
        double pairs = epoch.train().get("pair_accuracy");
        assertTrue(pairs >= 0 && pairs <= 1);
        assertTrue(epoch.validation().keySet().containsAll(List.of(AvSyncTask.SYNC_ACCURACY, AvSyncTask.ALIGNED_ACCURACY,
                AvSyncTask.shiftMetric(0.5), AvSyncTask.shiftMetric(1.0))), "metrics " + epoch.validation());
        assertTrue(Double.isFinite(epoch.validation().get(AvSyncTask.ALIGNED_ACCURACY)));

        AvSync.Result r = AvSync.builder().setRun(run).setVideo(SharedData.file("box.mp4")).optMaxShift(1).optStep(0.5)
                .optClips(2).build().run();
        assertEquals(5, r.scores().length);
        assertTrue(Arrays.stream(r.scores()).allMatch(s -> s >= 0 && s <= 1), Arrays.toString(r.scores()));
        assertTrue(Arrays.stream(r.offsets()).anyMatch(o -> o == r.offsetSeconds()));
        assertEquals(2, r.clips());

        // a run of another task is refused with its name
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvLocalize.builder().setRun(run).setVideo(SharedData.file("box.mp4")).build().run());
        assertTrue(e.getMessage().contains("av-correspondence"), e.getMessage());
    }
}

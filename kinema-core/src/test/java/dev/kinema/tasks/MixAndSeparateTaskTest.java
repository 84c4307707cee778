package dev.kinema.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.synth.SoundingObject;
import dev.kinema.synth.SoundingObjectsWriter;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import dev.kinema.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mix-and-separate: its batches, its targets, and a run of sound-of-pixels that resumes exactly. */
class MixAndSeparateTaskTest {
    @TempDir
    static Path dir;
    private static Path data;
    private static List<SoundingObjectsWriter.Planned> videos;

    @BeforeAll
    static void render() {
        data = dir.resolve("data");
        videos = new SoundingObjectsWriter(data, 4, 1, 64, 64, 16, 1.5, List.of(SoundingObject.VIOLIN, SoundingObject.DRUM),
                2, false).write(done -> {});
    }

    @Test
    void aBatchBecomesMixturesOfTwoWithOneDominantSourcePerBin() {
        MixAndSeparateTask task = new MixAndSeparateTask(2, false);
        List<VideoSample> samples = new ArrayList<>();
        for (SoundingObjectsWriter.Planned v : videos.subList(0, 3)) {
            samples.add(VideoSample.ofFile(v.file(), v.label(), v.object().label(), v.split()));
        }
        float[] values = new float[3 * 3 * 4 * 8 * 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        ClipBatch batch = new ClipBatch(0, values, new Shape(3, 3, 4, 8, 8), new int[] {0, 0, 0}, samples, new int[3]);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingTask.Step step = task.trainingStep(batch, manager, new SplittableRandom(2));
            NDArray clips = step.inputs().get(0);
            assertEquals(new Shape(2, 3, 4, 8, 8), clips.getShape(), "three clips make one mixture of two; one sits out");
            assertEquals(new Shape(2, 1, 64, 64), step.inputs().get(1).getShape());
            assertTrue(step.inputs().get(1).get(0).contentEquals(step.inputs().get(1).get(1)), "both see the same mixture");
            NDArray target = step.targets().get(0);
            float[] sum = target.get(0).add(target.get(1)).toFloatArray();
            for (float s : sum) {
                assertTrue(s <= 1, "at most one source dominates a bin");
            }
            float share = target.get(0).mean().getFloat();
            assertTrue(share > 0.05 && share < 0.95, "each source dominates some bins: " + share);
            NDArray weight = step.targets().get(1);
            assertTrue(weight.min().getFloat() >= 1e-3f && weight.max().getFloat() <= 10f);
            // the same generator gives the same step
            TrainingTask.Step again = task.trainingStep(batch, manager, new SplittableRandom(2));
            assertTrue(again.inputs().get(1).contentEquals(step.inputs().get(1)));
            assertTrue(task.loss(new ai.djl.ndarray.NDList(manager.zeros(target.getShape())), step.targets()).getFloat() > 0);
        }
        ClipBatch one = new ClipBatch(0, new float[3 * 4 * 8 * 8], new Shape(1, 3, 4, 8, 8), new int[] {0}, samples.subList(0, 1),
                new int[1]);
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> task.trainingStep(one, manager, new SplittableRandom(1)));
            assertTrue(e.getMessage().contains("too small"), e.getMessage());
        }
    }

    private static TrainConfig config() {
        return TrainConfig.builder().setData(data).setModel("sound-of-pixels").optTask(MixAndSeparateTask.NAME).optFrames(4)
                .optStride(2).optSize(64).optEpochs(2).optBatch(2).optWarmupEpochs(0).optValClips(1).optSeed(4).optWorkers(1)
                .build();
    }

    private static final class Crash extends RuntimeException {}

    @Test
    void aRunResumesExactlyAndValidatesWithBssEval() throws IOException {
        List<EpochMetrics> straight = Trainer.builder().setConfig(config()).setModelFactory(ModelFactory.registry()).setRunDirectory(dir.resolve("straight")).build().fit();
        assertEquals(2, straight.size());
        for (EpochMetrics m : straight) {
            for (String metric : List.of("sdr", "sir", "sar", "nsdr")) {
                assertTrue(Double.isFinite(m.validation(metric)), metric + " " + m.validation());
            }
        }
        Path interrupted = dir.resolve("interrupted");
        TrainingListener crash = new TrainingListener() {
            @Override
            public void checkpointWritten(RunDir run, int epoch) {
                throw new Crash();
            }
        };
        assertThrows(Crash.class, () -> Trainer.builder().setConfig(config()).setModelFactory(ModelFactory.registry()).setRunDirectory(interrupted).optListener(crash)
                .build().fit());
        List<EpochMetrics> resumed = Trainer.builder().setConfig(config()).setModelFactory(ModelFactory.registry()).setRunDirectory(interrupted).optResume(true).build()
                .fit();
        for (int e = 0; e < 2; e++) {
            assertEquals(straight.get(e).trainLoss(), resumed.get(e).trainLoss(), "epoch " + (e + 1) + " train loss");
            assertEquals(straight.get(e).validation(), resumed.get(e).validation(), "epoch " + (e + 1) + " validation");
        }
    }
}

package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.kinema.tasks.MixAndSeparateTask;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run directory whose files disagree with its checkpoint is refused, naming both sides; so is a
 * run of another task than the caller's.
 */
class RunDirTest {
    private static final TrainConfig CONFIG = TrainConfig.builder().setData("data").setModel(TestModels.NAME)
            .optFrames(4).optSize(8).build();

    @TempDir
    Path dir;

    private RunDir runWithCheckpointOf(TrainConfig saved, List<String> runLabels, List<String> savedLabels)
            throws IOException {
        RunDir run = RunDir.create(dir.resolve("run"), CONFIG, runLabels);
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.sgd(manager, 0.9f, 0f)) {
            Block model = TestModels.smallConv(savedLabels.size());
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4, 8, 8));
            Checkpoint.write(run.checkpoint(), new Checkpoint.Header(saved, savedLabels, 1, 1, List.of()), model,
                    optimizer);
        }
        return run;
    }

    @Test
    void labelsThatDoNotMatchTheCheckpointNameTheFileAndBothCounts() throws IOException {
        RunDir run = runWithCheckpointOf(CONFIG, List.of("left", "right"), List.of("left", "right", "up"));
        try (NDManager manager = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> run.loadModel(manager, ModelFactory.registry()));
            assertEquals(run.dir().resolve(RunDir.LABELS) + ": 2 class names, but " + run.checkpoint()
                    + " was trained on 3 classes", e.getMessage());
        }
    }

    @Test
    void aCheckpointOfAnotherModelNamesBothModels() throws IOException {
        TrainConfig other = TrainConfig.builder().setData("data").setModel("c3d").optFrames(4).optSize(8).build();
        RunDir run = runWithCheckpointOf(other, List.of("left", "right"), List.of("left", "right"));
        try (NDManager manager = NDManager.newBaseManager()) {
            IOException e = assertThrows(IOException.class, () -> run.loadModel(manager, ModelFactory.registry()));
            assertEquals(run.checkpoint() + ": holds a 'c3d' model, but the run's config.json says '" + TestModels.NAME
                    + "'", e.getMessage());
        }
    }

    @Test
    void aRunOfAnotherTaskIsRefusedBeforeAModelIsBuiltFromIt() throws IOException {
        TrainConfig separation = TrainConfig.builder().setData("data").setModel(TestModels.NAME)
                .optTask(MixAndSeparateTask.NAME).optFrames(4).optSize(8).build();
        RunDir run = RunDir.create(dir.resolve("separation"), separation, List.of("a", "b"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainedClassifier.open(run, 1, null));
        assertEquals(run.dir() + ": classification needs a run trained for classification, but this one was trained for "
                + MixAndSeparateTask.NAME, e.getMessage());
        assertSame(run, run.requireTask("separation", MixAndSeparateTask.NAME, MixAndSeparateTask.RATIO_NAME));
    }
}

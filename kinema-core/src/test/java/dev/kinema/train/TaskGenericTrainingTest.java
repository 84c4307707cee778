package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.tasks.Metric;
import dev.kinema.tasks.TaskDefinition;
import dev.kinema.tasks.TrainingTask;
import dev.kinema.tasks.TrainingTasks;
import dev.kinema.tasks.Validation;
import dev.kinema.tasks.ValidationPass;
import dev.kinema.testing.TrainingVideos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trainer runs a task it knows nothing of: a regression of the label index with an L2 loss,
 * whose training metric is the mean absolute error and whose "validation" measures the model's
 * weights (the squared norm, once better when lower and once, as {@code norm_up}, better when
 * higher). The run records {@code train_abs_error} and {@code val_<name>}, and {@code best.ckpt}
 * holds the epoch the chosen metric ranks best.
 */
class TaskGenericTrainingTest {
    private static final String TASK = "label-regression-test";

    @TempDir
    static Path data;

    @TempDir
    Path runs;

    @BeforeAll
    static void setUp() {
        TrainingVideos.movingSquares(data, 1, 4, 2);
        TrainingTasks.register(new TaskDefinition(TASK, "regresses the label index (a test task)",
                List.of(new Metric("abs_error", "absolute error", false, false)),
                List.of(new Metric("norm", "squared weight norm", false, false),
                        new Metric("norm_up", "squared weight norm", true, false)),
                "norm", c -> new LabelRegression()));
    }

    private static TrainConfig.Builder config() {
        return TrainConfig.builder().setData(data.toString()).setModel(TestModels.NAME).optTask(TASK).optFrames(4)
                .optStride(2).optSize(24).optResize(28).optEpochs(3).optBatch(4).optOptimizer("sgd").optLr(0.05)
                .optWarmupEpochs(1).optValClips(1).optWorkers(2).optSeed(5);
    }

    private List<EpochMetrics> train(Path run, TrainConfig config) throws IOException {
        return Trainer.builder().setConfig(config).setModelFactory(TestModels.factory()).setRunDirectory(run).build()
                .fit();
    }

    @Test
    void theTasksMetricsAreRecordedAndTheBestCheckpointFollowsTheChosenOne() throws IOException {
        Path run = runs.resolve("low");
        List<EpochMetrics> history = train(run, config().build());
        assertEquals(3, history.size());
        for (EpochMetrics m : history) {
            assertEquals(List.of("abs_error"), List.copyOf(m.train().keySet()));
            assertEquals(List.of("norm", "norm_up"), List.copyOf(m.validation().keySet()));
            assertEquals(m.validation("norm"), m.validation("norm_up"));
        }
        String line = Files.readAllLines(run.resolve(RunDir.METRICS)).get(2);
        assertTrue(line.contains("\"train_abs_error\":") && line.contains("\"val_norm\":"), line);
        assertFalse(line.contains("top1"), line);
        assertEquals(history, RunDir.open(run).readMetrics());

        // The norms of the three epochs differ, so lowest and highest are different epochs.
        int lowest = history.stream().min(Comparator.comparing(m -> m.validation("norm"))).orElseThrow().epoch();
        int highest = history.stream().max(Comparator.comparing(m -> m.validation("norm"))).orElseThrow().epoch();
        assertNotEquals(lowest, highest);
        assertBest(run, lowest, history);

        Path up = runs.resolve("high");
        List<EpochMetrics> again = train(up, config().optBestMetric("val_norm_up").build());
        assertEquals(TrainerTest.withoutTimes(history), TrainerTest.withoutTimes(again));
        assertBest(up, highest, again);
        String html = Files.readString(up.resolve(RunDir.REPORT));
        assertTrue(html.contains("Best epoch " + highest + " by validation <b>squared weight norm"), html);
    }

    /** best.ckpt is the checkpoint of that epoch: its header says so, and its weights have that epoch's norm. */
    private static void assertBest(Path run, int epoch, List<EpochMetrics> history) throws IOException {
        Path best = run.resolve(RunDir.BEST);
        assertEquals(epoch, Checkpoint.readHeader(best).epoch());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = TestModels.smallConv(1);
            model.initialize(manager, DataType.FLOAT32, RunDir.open(run).config().input().shape(1));
            Checkpoint.load(best, model, manager, null);
            assertEquals(history.get(epoch - 1).validation("norm"), squaredNorm(model));
        }
    }

    @Test
    void unknownTasksAndMetricsAreRefusedWhenConfigured() {
        IllegalArgumentException task = assertThrows(IllegalArgumentException.class,
                () -> config().optTask("captioning").build());
        assertTrue(task.getMessage().contains("unknown task 'captioning'") && task.getMessage().contains("classification"),
                task.getMessage());
        IllegalArgumentException metric = assertThrows(IllegalArgumentException.class,
                () -> config().optBestMetric("val_top1").build());
        assertEquals("the " + TASK + " task has no validation metric 'val_top1'; choose one of [norm, norm_up]",
                metric.getMessage());
    }

    static double squaredNorm(Block model) {
        double sum = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
            for (float v : p.getValue().getArray().toFloatArray()) {
                sum += (double) v * v;
            }
        }
        return sum;
    }

    /** Predicts the label index as one number. */
    private static final class LabelRegression implements TrainingTask {
        private static final Loss L2 = Loss.l2Loss();

        @Override
        public int outputs() {
            return 1;
        }

        @Override
        public Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
            float[] targets = new float[batch.size()];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = batch.labels()[i];
            }
            return new Step(new NDList(batch.data(manager)),
                    new NDList(manager.create(targets, new Shape(batch.size(), 1))));
        }

        @Override
        public NDArray loss(NDList outputs, NDList targets) {
            return L2.evaluate(targets, outputs);
        }

        @Override
        public EpochMetricsAccumulator newEpoch() {
            return new EpochMetricsAccumulator() {
                private double loss;
                private double error;
                private int clips;

                @Override
                public void add(ClipBatch batch, float[] outputs, float meanLoss) {
                    for (int i = 0; i < batch.size(); i++) {
                        error += Math.abs(outputs[i] - batch.labels()[i]);
                    }
                    loss += (double) meanLoss * batch.size();
                    clips += batch.size();
                }

                @Override
                public int clips() {
                    return clips;
                }

                @Override
                public double meanLoss() {
                    return loss / clips;
                }

                @Override
                public Map<String, Double> summary() {
                    return Map.of("abs_error", error / clips);
                }
            };
        }

        @Override
        public Validation validate(ValidationPass pass) {
            double norm = squaredNorm(pass.model());
            pass.progress().accept(pass.videos().size());
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("norm", norm);
            metrics.put("norm_up", norm);
            return () -> metrics;
        }
    }
}

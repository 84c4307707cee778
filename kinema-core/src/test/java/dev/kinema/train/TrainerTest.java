package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.tasks.ClassificationValidation;
import dev.kinema.tasks.Validation;
import dev.kinema.testing.TrainingVideos;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainerTest {
    @TempDir
    static Path data;

    @TempDir
    Path runs;

    @BeforeAll
    static void writeVideos() {
        TrainingVideos.movingSquares(data, 1, 4, 2);
    }

    private static TrainConfig config() {
        return TrainConfig.builder().setData(data.toString()).setModel(TestModels.NAME).optFrames(4).optStride(2)
                .optSize(24).optResize(28).optEpochs(2).optBatch(4).optOptimizer("sgd").optLr(0.05)
                .optWarmupEpochs(1).optValClips(2).optWorkers(2).optSeed(11).build();
    }

    /** The configuration with every regulariser on: label smoothing, mixup and cutmix, RandAugment. */
    private static TrainConfig regularized() {
        return config().toBuilder().optRegularization(new Regularization(0.1, 0.8, 1.0, 0.5, 2, 9)).build();
    }

    private static Trainer.Builder trainer(Path run) {
        return trainer(run, config());
    }

    private static Trainer.Builder trainer(Path run, TrainConfig config) {
        return Trainer.builder().setConfig(config).setModelFactory(TestModels.factory()).setRunDirectory(run);
    }

    /** Stops the run right after the first checkpoint is on disk, like a kill at that moment. */
    private static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash");
        }
    }

    /** The history without the wall-clock numbers, which legitimately differ between runs. */
    static List<EpochMetrics> withoutTimes(List<EpochMetrics> history) {
        return history.stream().map(EpochMetrics::withoutTimes).toList();
    }

    /** Every parameter's values and the optimiser's saved bytes, as loaded from a run's checkpoint. */
    private static List<float[]> state(Path run) throws IOException {
        List<float[]> out = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.create("sgd", manager, 0f)) {
            Block model = TestModels.smallConv(2);
            model.initialize(manager, DataType.FLOAT32, config().input().shape(1));
            Checkpoint.load(run.resolve(RunDir.CHECKPOINT), model, manager, optimizer);
            for (Pair<String, Parameter> p : model.getParameters()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            optimizer.save(new DataOutputStream(bytes));
            byte[] b = bytes.toByteArray();
            float[] asFloats = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                asFloats[i] = b[i];
            }
            out.add(asFloats);
        }
        return out;
    }

    @Test
    void resumingAfterACrashEqualsTrainingStraight() throws IOException {
        assertResumingEqualsTrainingStraight(config());
    }

    @Test
    void resumingARegularizedRunEqualsTrainingStraight() throws IOException {
        List<EpochMetrics> regularized = assertResumingEqualsTrainingStraight(regularized());
        List<EpochMetrics> plain = trainer(runs.resolve("plain")).build().fit();
        assertEquals(plain.get(0).trainClips(), regularized.get(0).trainClips());
        assertNotEquals(plain.get(0).trainLoss(), regularized.get(0).trainLoss(),
                "the regularisers change what is trained on");
        assertEquals(regularized(), RunDir.open(runs.resolve("straight")).config());
    }

    @Test
    void resumingARunWithGradientClippingEqualsTrainingStraight() throws IOException {
        // A bound far below this model's gradient norms, so that every update is clipped.
        TrainConfig clipped = config().toBuilder().optClipGradNorm(0.01).build();
        List<EpochMetrics> history = assertResumingEqualsTrainingStraight(clipped);
        assertEquals(clipped, RunDir.open(runs.resolve("straight")).config());
        JsonNode optimizer = RunDir.JSON.readTree(runs.resolve("straight").resolve(RunDir.CONFIG).toFile())
                .get("optimizer");
        assertEquals(0.01, optimizer.get("clip_grad_norm").asDouble(), "the bound is in the checkpointed config");
        List<EpochMetrics> plain = trainer(runs.resolve("plain")).build().fit();
        assertNotEquals(withoutTimes(plain), withoutTimes(history), "clipping changes the updates");
        JsonNode plainOptimizer = RunDir.JSON.readTree(runs.resolve("plain").resolve(RunDir.CONFIG).toFile())
                .get("optimizer");
        assertFalse(plainOptimizer.has("clip_grad_norm"), "off by default, and absent from older runs' config");
    }

    /** Trains {@code config} straight and with a crash after epoch 1 and a resume; returns the history. */
    private List<EpochMetrics> assertResumingEqualsTrainingStraight(TrainConfig config) throws IOException {
        Path straight = runs.resolve("straight");
        List<EpochMetrics> expected = trainer(straight, config).build().fit();
        assertEquals(2, expected.size());

        Path interrupted = runs.resolve("interrupted");
        TrainingListener crash = new TrainingListener() {
            @Override
            public void checkpointWritten(RunDir run, int epoch) {
                throw new Crash();
            }
        };
        assertThrows(Crash.class, () -> trainer(interrupted, config).optListener(crash).build().fit());
        assertEquals(1, Checkpoint.readHeader(interrupted.resolve(RunDir.CHECKPOINT)).epoch());
        // Starting it again without --resume is refused rather than overwriting the run.
        IOException refused = assertThrows(IOException.class, () -> trainer(interrupted, config).build().fit());
        assertTrue(refused.getMessage().contains("already holds a training run"), refused.getMessage());

        List<Integer> epochsRun = new ArrayList<>();
        TrainingListener count = new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int batches) {
                epochsRun.add(epoch);
            }
        };
        List<EpochMetrics> resumed = trainer(interrupted, config).optResume(true).optListener(count).build().fit();
        assertEquals(List.of(2), epochsRun, "only the second epoch is trained again");
        assertEquals(withoutTimes(expected), withoutTimes(resumed));

        List<float[]> a = state(straight);
        List<float[]> b = state(interrupted);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter or optimizer state " + i);
        }
        assertEquals(withoutTimes(expected), withoutTimes(RunDir.open(interrupted).readMetrics()));
        return expected;
    }

    @Test
    void theRunDirectoryHoldsEverythingEvaluationNeeds() throws IOException {
        Path run = runs.resolve("run");
        List<EvalResult> validations = new ArrayList<>();
        List<EpochMetrics> history = trainer(run).optListener(new TrainingListener() {
            @Override
            public void epochFinished(EpochMetrics metrics, Validation validation) {
                validations.add(((ClassificationValidation) validation).result());
            }
        }).build().fit();

        RunDir dir = RunDir.open(run);
        assertEquals(config(), dir.config());
        assertEquals(List.of("left", "right"), dir.labels());
        assertEquals(List.of("left", "right"), Files.readAllLines(run.resolve(RunDir.LABELS)));
        List<String> lines = Files.readAllLines(run.resolve(RunDir.METRICS));
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"epoch\":1,\"lr\":"), lines.get(0));
        // The keys and their order of the lines written before tasks existed, then the validation's.
        assertTrue(lines.get(1).matches("\\{\"epoch\":2,\"lr\":[^,]+,\"train_loss\":[^,]+,\"train_top1\":[^,]+,"
                + "\"train_clips\":8,\"clips_per_second\":[^,]+,\"seconds\":[^,]+,\"val_clip_top1\":[^,]+,"
                + "\"val_video_top1\":[^,]+,\"val_video_top5\":[^,]+,\"val_mean_class_accuracy\":[^,]+,"
                + "\"loader_wait_seconds\":[^,]+}"), lines.get(1));
        assertEquals(history, dir.readMetrics());
        for (EpochMetrics epoch : history) {
            // The loop waited for the loader no longer than it trained, and the model did some work.
            double trainingSeconds = epoch.trainClips() / epoch.clipsPerSecond();
            assertTrue(epoch.loaderWaitSeconds() >= 0 && epoch.loaderWaitSeconds() < trainingSeconds, epoch.toString());
            // The test network is a plain Block, not a registry model, so its size is unknown: no GFLOP/s.
            assertEquals(0, epoch.modelGflopPerSecond(), epoch.toString());
        }

        // Every clip of every readable training video was used once per epoch.
        assertEquals(8, history.get(0).trainClips());
        EvalResult last = validations.get(1);
        assertNotNull(last);
        assertEquals(4, last.videos());
        assertEquals(2, last.clips());
        assertEquals(last.videoTop1(), history.get(1).validation("video_top1"));
        assertEquals(last.meanClassAccuracy(), history.get(1).validation("mean_class_accuracy"));
        // With warm-up of 1 epoch = 2 updates of 4: lr at the last update is the cosine's last value.
        assertEquals(new WarmupCosine(0.05f, 2, 4, 0f).getNewValue(3), history.get(1).lr(), 1e-7);

        String html = Files.readString(run.resolve(RunDir.REPORT));
        for (String png : List.of(TrainingReport.LOSS_PNG, TrainingReport.ACCURACY_PNG,
                ClassificationValidation.CONFUSION_PNG)) {
            assertTrue(html.contains("<img src=\"" + png + "\""), png);
            assertTrue(Files.size(run.resolve(png)) > 1000, png);
        }
        // The model loaded back from the run directory scores the validation split exactly as the
        // last epoch's validation did.
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = dir.loadModel(manager, TestModels.factory());
            EvalResult again = Evaluator.builder().setModel(model).setInput(dir.config().input())
                    .setClasses(dir.labels()).optClips(2).build()
                    .evaluate(DatasetFormats.open(data).samples("val"));
            assertEquals(last.videoTop1(), again.videoTop1());
            assertEquals(last.clipTop1(), again.clipTop1());
            assertArrayEquals(last.confusion(), again.confusion());
        }
    }

    /** config.json as Kinema wrote it before regularisation existed: it reads as the same run without any. */
    @Test
    void aRunDirectoryOfTheOldLayoutOpensAndResumes() throws IOException {
        Path run = Files.createDirectories(runs.resolve("old"));
        Files.writeString(run.resolve(RunDir.CONFIG), "{\"data\":\"" + data.toString().replace("\\", "\\\\")
                + "\",\"annotations\":null,\"train_split\":\"train\",\"val_split\":\"val\",\"model\":\""
                + TestModels.NAME + "\",\"frames\":4,\"stride\":2,\"fps\":null,\"size\":24,\"resize\":28,"
                + "\"epochs\":1,\"batch\":4,\"optimizer\":\"sgd\",\"lr\":0.05,\"weight_decay\":1.0E-4,"
                + "\"warmup_epochs\":1.0,\"val_clips\":2,\"flip\":true,\"seed\":11,\"workers\":2,"
                + "\"modality\":\"RGB\",\"flow_dir\":null,\"flow_method\":null,\"flow_size\":null}");
        Files.writeString(run.resolve(RunDir.LABELS), "left\nright\n");
        RunDir old = RunDir.open(run);
        TrainConfig oneEpoch = config().toBuilder().optEpochs(1).build();
        assertEquals(Regularization.NONE, old.config().regularization());
        assertEquals(oneEpoch, old.config());
        // Without a checkpoint yet, resuming it trains from scratch.
        assertEquals(1, trainer(run, oneEpoch).optResume(true).build().fit().size());
        assertEquals(oneEpoch, Checkpoint.readHeader(run.resolve(RunDir.CHECKPOINT)).config());
    }

    /**
     * A run directory as Kinema wrote it before the task seam and the configuration's parts (test
     * resource {@code run-before-tasks}: the flat config.json, labels, card and checkpoint that
     * commit 34c7b39's {@code Trainer} wrote for {@link #regularized()} on these videos, stopped
     * right after epoch 1 of 2): it opens, and resuming it trains epoch 2 bit for bit as this code
     * does training straight.
     */
    @Test
    void aRunWrittenBeforeTheTaskSeamResumesBitExactly() throws Exception {
        Path old = Files.createDirectories(runs.resolve("before-tasks"));
        Path resources = Path.of(TrainerTest.class.getResource("run-before-tasks/config.json").toURI()).getParent();
        for (String f : List.of(RunDir.CONFIG, RunDir.LABELS, "card.json", RunDir.CHECKPOINT)) {
            Files.copy(resources.resolve(f), old.resolve(f));
        }
        RunDir dir = RunDir.open(old);
        assertEquals(regularized().toBuilder().setData(dir.config().data().root()).build(), dir.config());
        assertEquals("classification", dir.config().task());
        assertEquals(0.9, dir.config().optimizer().momentum());
        assertEquals(1, Checkpoint.readHeader(old.resolve(RunDir.CHECKPOINT)).history().get(0).epoch());

        List<EpochMetrics> straight = trainer(runs.resolve("straight"), regularized()).build().fit();
        List<EpochMetrics> resumed = trainer(old, regularized()).optResume(true).build().fit();
        assertEquals(withoutTimes(straight), withoutTimes(resumed));
        List<float[]> a = state(runs.resolve("straight"));
        List<float[]> b = state(old);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter or optimizer state " + i);
        }
    }

    /** config.json is written in parts, with paths as given, and reads back as the same configuration. */
    @Test
    void theConfigurationIsSavedInParts() throws IOException {
        TrainConfig c = config().toBuilder().optAnnotations("lists/train.csv").optMomentum(0.8)
                .optBestMetric("val_clip_top1").build();
        Path run = runs.resolve("parts");
        RunDir.create(run, c, List.of("left", "right"));
        JsonNode json = RunDir.JSON.readTree(run.resolve(RunDir.CONFIG).toFile());
        assertEquals(List.of("task", "model", "data", "optimizer", "schedule", "regularization", "seed", "best_metric", "non_local"),
                iterable(json.fieldNames()));
        assertEquals("lists/train.csv", json.get("data").get("annotations").asText());
        assertEquals(data.toString(), json.get("data").get("root").asText());
        assertEquals(0.8, json.get("optimizer").get("momentum").asDouble());
        assertEquals("clip_top1", json.get("best_metric").asText());
        assertEquals(2, json.get("schedule").get("epochs").asInt());
        assertEquals(c, RunDir.open(run).config());
        assertEquals(Path.of("lists/train.csv"), c.data().annotations());
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    @Test
    void resumeRefusesAChangedConfiguration() throws IOException {
        Path run = runs.resolve("changed");
        RunDir.create(run, config(), List.of("left", "right"));
        TrainConfig other = config().toBuilder().optLr(0.5).optWorkers(1).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder()
                .setConfig(other).setModelFactory(TestModels.factory()).setRunDirectory(run).optResume(true).build()
                .fit());
        // Workers may change (they do not change the result); the learning rate may not.
        assertTrue(e.getMessage().contains("(optimizer.lr: 0.05 -> 0.5)"), e.getMessage());
    }

    @Test
    void unreadableTrainingVideosAreReported() throws IOException {
        Path broken = runs.resolve("broken");
        for (String c : List.of("left", "right")) {
            Files.createDirectories(broken.resolve("train").resolve(c));
            Files.writeString(broken.resolve("train").resolve(c).resolve(c + ".mp4"), "not a video");
        }
        TrainConfig c = config().toBuilder().setData(broken.toString()).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Trainer.builder().setConfig(c)
                .setModelFactory(TestModels.factory()).setRunDirectory(runs.resolve("broken-run")).build().fit());
        assertTrue(e.getMessage().startsWith("no training video could be read in epoch 1; the first failure: "),
                e.getMessage());
        assertTrue(e.getMessage().contains(".mp4: "), e.getMessage());
    }
    @Test
    void aDamagedCheckpointResumesFromThePreviousOneAndEndsTheSame() throws IOException {
        Path straight = runs.resolve("straight");
        List<EpochMetrics> expected = trainer(straight).build().fit();
        Path damaged = runs.resolve("damaged");
        trainer(damaged).build().fit();
        assertEquals(1, Checkpoint.readHeader(damaged.resolve(RunDir.PREVIOUS_CHECKPOINT)).epoch());
        Path checkpoint = damaged.resolve(RunDir.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(checkpoint);
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            bytes[i] ^= 0x40;
        }
        Files.write(checkpoint, bytes);

        List<Integer> epochsRun = new ArrayList<>();
        List<EpochMetrics> resumed = trainer(damaged).optResume(true).optListener(new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int batches) {
                epochsRun.add(epoch);
            }
        }).build().fit();
        assertEquals(List.of(2), epochsRun, "epoch 2 is trained again from the previous checkpoint");
        assertEquals(withoutTimes(expected), withoutTimes(resumed));
        List<float[]> a = state(straight);
        List<float[]> b = state(damaged);
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "parameter or optimizer state " + i);
        }
    }

    @Test
    void aNaNInTheFirstForwardPassIsPlacedAndDoesNotBlameTheLearningRate() {
        ModelFactory poisoned = (name, classes, frames, size) -> new ai.djl.nn.SequentialBlock()
                .add(TestModels.smallConv(classes))
                .add(new ai.djl.nn.LambdaBlock(x -> new ai.djl.ndarray.NDList(x.singletonOrThrow().mul(Float.NaN))));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Trainer.builder().setConfig(config())
                .setModelFactory(poisoned).setRunDirectory(runs.resolve("nan")).build().fit());
        assertTrue(e.getMessage().startsWith("the loss became NaN in the forward pass of epoch 1, update 1, before any"
                + " update, with finite inputs and parameters"), e.getMessage());
        assertFalse(e.getMessage().contains("learning rate"), e.getMessage());
    }

    @Test
    void aLossThatDivergesAfterUpdatesSuggestsALowerLearningRate() {
        TrainConfig diverging = config().toBuilder().optLr(1e30).optWarmupEpochs(0).build();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> trainer(runs.resolve("diverging"), diverging).build().fit());
        assertTrue(e.getMessage().contains("update 2") && e.getMessage().contains("the update before had a finite loss")
                && e.getMessage().contains("try a lower learning rate (now "), e.getMessage());
    }
    @Test
    void skippedAnnotationProblemsAreListedInTheRunAndTheReport() throws IOException {
        Path copy = runs.resolve("data-with-problems");
        try (java.util.stream.Stream<Path> files = Files.walk(data)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(data.relativize(f).toString()));
            }
        }
        Path emptied = copy.resolve("val/left");
        try (java.util.stream.Stream<Path> videos = Files.list(emptied)) {
            for (Path v : videos.toList()) {
                Files.delete(v);
            }
        }
        List<String> heard = new ArrayList<>();
        Path run = runs.resolve("run");
        trainer(run, config().toBuilder().setData(copy.toString()).optEpochs(1).build())
                .optListener(new TrainingListener() {
                    @Override
                    public void datasetProblems(dev.kinema.data.datasets.DatasetReport report, Path list) {
                        heard.add(report.summary() + " @ " + list.getFileName());
                    }
                }).build().fit();
        assertEquals(List.of("1 annotation problem skipped: 1 empty class folder @ dataset-problems.txt"), heard);
        String listed = Files.readString(run.resolve("dataset-problems.txt"));
        assertTrue(listed.contains("val/left"), listed);
        String report = Files.readString(run.resolve(RunDir.REPORT));
        assertTrue(report.contains("<h2>Dataset problems</h2>") && report.contains("val/left"), report);
    }

    @Test
    void aRegistryModelsEpochReportsTheFlopsItsUpdatesAchieved() throws IOException {
        TrainConfig tiny = config().toBuilder().setModel("tiny-3d").optEpochs(1).optWarmupEpochs(0).build();
        EpochMetrics epoch = Trainer.builder().setConfig(tiny).setModelFactory(ModelFactory.registry())
                .setRunDirectory(runs.resolve("tiny")).build().fit().get(0);
        long macs = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(2).optFrames(4).optSize(24)
                .build()).macs();
        // Updates take part of the loop's time, so their FLOP rate is at least the loop's.
        double overTheWholeLoop = StepFlops.training(macs) * epoch.clipsPerSecond() / 1e9;
        assertTrue(macs > 0 && epoch.modelGflopPerSecond() >= overTheWholeLoop * 0.999,
                epoch.modelGflopPerSecond() + " GFLOP/s < " + overTheWholeLoop + " over the whole loop");
        assertTrue(epoch.modelGflopPerSecond() < 1e4, epoch.toString());
    }
}

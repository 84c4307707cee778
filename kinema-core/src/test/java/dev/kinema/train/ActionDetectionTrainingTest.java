package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import dev.kinema.data.datasets.DatasetFormat;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipDecoder;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.eval.detection.AveragePrecision;
import dev.kinema.synth.ActionClass;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.MultiActorMotion;
import dev.kinema.tasks.ActionDetectionTask;
import dev.kinema.tasks.TaskContext;
import dev.kinema.tasks.TrainingTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multi-actor Kinema-Motion folder read as an AVA dataset and a RoI model trained on it through
 * the trainer's task seam: the task's keyframe boxes reach the model, the run records the task's
 * metrics, and validation's frame mAP is AVA's over the validation keyframes.
 */
class ActionDetectionTrainingTest {
    private static final List<ActionClass> CLASSES = List.of(KinemaMotion.get("waving"), KinemaMotion.get("clapping"),
            KinemaMotion.get("jumping_jacks"));

    @TempDir
    static Path data;

    @TempDir
    Path runs;

    @BeforeAll
    static void render() {
        MultiActorMotion.write(data, 8, 3, 64, 48, 8, 3, CLASSES, 2, false, done -> { });
    }

    @Test
    void theFolderIsAnAvaDatasetWithOneLabelledSamplePerKeyframe() throws IOException {
        assertEquals(DatasetFormat.AVA, DatasetFormats.detect(data, java.util.Optional.empty()).format());
        VideoDataset videos = DatasetFormats.open(data);
        assertEquals(List.of("waving", "clapping", "jumping_jacks"), videos.labels());
        AvaDataset ava = AvaDataset.read(data);
        for (String split : List.of("train", "val", "test")) {
            List<VideoSample> samples = videos.samples(split);
            List<String> keys = ava.boxes().get(split).stream().map(ActorBox::key).distinct().toList();
            assertEquals(keys.size(), samples.size(), split);
            for (VideoSample s : samples) {
                String id = s.path().getFileName().toString().replace(".mp4", "");
                // A two-second window centred on a whole-second keyframe (cut at the file's start) ...
                int keyframe = (int) Math.round(s.endSeconds() - AvaDataset.KEYFRAME_WINDOW_SECONDS / 2);
                assertEquals(Math.max(0, keyframe - 1.0), s.startSeconds(), 1e-9, id);
                assertTrue(keys.contains(ActorBox.key(id, keyframe)), id + "@" + keyframe);
                // ... labelled with the keyframe's most frequent action.
                Map<Integer, Long> counts = ava.boxes().get(split).stream()
                        .filter(b -> b.videoId().equals(id) && b.timestamp() == keyframe)
                        .collect(Collectors.groupingBy(ActorBox::actionId, Collectors.counting()));
                long most = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                assertEquals(most, counts.get(ava.labels().keySet().stream().toList().get(s.label())), id);
                assertTrue(Files.isRegularFile(s.path()));
            }
        }
    }

    /**
     * The check that the labels reach the head: one fixed batch of training keyframes, trained on
     * alone, is then scored (inference mode, the ground-truth boxes unjittered) with nearly every
     * actor's actions ranked above every other actor's, per action: its mean AP must be near 1.
     */
    @Test
    void aRoiModelOverfitsOneBatchOfKeyframes() throws IOException {
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel("roi-tiny-3d")
                .optTask(ActionDetectionTask.NAME).optFrames(4).optStride(2).optSize(32).optResize(32).optBatch(8)
                .optSeed(1).build();
        VideoDataset videos = DatasetFormats.open(data);
        List<VideoSample> train = videos.samples("train");
        List<VideoSample> keyframes = train.subList(0, Math.min(4, train.size()));
        ModelInput input = config.input();
        TrainingTask task = ActionDetectionTask.DEFINITION.create(new TaskContext(videos.labels(), 0, null, data));
        // Each keyframe's middle clip with its boxes, as the detector's test pipeline decodes them.
        ClipDecoder decoder = input.decoder(input.sampler().mode("uniform").test(true).clips(1).build(), null);
        List<Clip> clips = new java.util.ArrayList<>();
        for (VideoSample keyframe : keyframes) {
            clips.add(task.clipTargets().apply(decoder.decode(keyframe, null).get(0), new java.util.Random(0)));
        }
        ClipBatch batch = input.collate().collate(0, clips);
        int actions = task.outputs();
        List<ActionDetectionTask.Region> regions = ActionDetectionTask.regions(batch, actions);
        assertTrue(regions.size() >= keyframes.size(), regions.size() + " actors");
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer adam = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0f)) {
            manager.getEngine().setRandomSeed(1);
            Block model = ModelFactory.registry().create("roi-tiny-3d", actions, 4, 32);
            model.initialize(manager, DataType.FLOAT32, input.shape(1));
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < 40; i++) {
                try (NDManager step = manager.newSubManager()) {
                    TrainingTask.Step s = task.trainingStep(batch, step, rng);
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDArray loss = task.loss(model.forward(new ParameterStore(step, false), s.inputs(), true),
                                s.targets());
                        collector.backward(loss);
                    }
                    adam.step(model.getParameters(), 1e-2f, step);
                }
            }
            float[] scores;
            try (NDManager step = manager.newSubManager()) {
                float[] rois = new float[5 * regions.size()];
                for (int r = 0; r < regions.size(); r++) {
                    ActionDetectionTask.Region g = regions.get(r);
                    System.arraycopy(new float[] {g.clip(), g.x1(), g.y1(), g.x2(), g.y2()}, 0, rois, 5 * r, 5);
                }
                scores = model.forward(new ParameterStore(step, false),
                        new NDList(batch.data(step), step.create(rois, new Shape(regions.size(), 5))), false)
                        .singletonOrThrow().toFloatArray();
            }
            double sum = 0;
            int present = 0;
            for (int a = 0; a < actions; a++) {
                final int action = a;
                List<Integer> ranked = java.util.stream.IntStream.range(0, regions.size()).boxed()
                        .sorted((x, y) -> Float.compare(scores[y * actions + action], scores[x * actions + action])).toList();
                boolean[] hits = new boolean[ranked.size()];
                int positives = 0;
                for (int r = 0; r < ranked.size(); r++) {
                    hits[r] = regions.get(ranked.get(r)).actions()[a];
                    positives += hits[r] ? 1 : 0;
                }
                if (positives > 0) {
                    sum += AveragePrecision.ofRanked(hits, positives);
                    present++;
                }
            }
            assertTrue(present >= 2, present + " actions present");
            double map = sum / present;
            assertTrue(map > 0.95, "train mAP on the one batch " + map);
        }
    }

    @Test
    void aRoiModelTrainsOnKeyframeBoxesAndIsValidatedByFrameMap() throws IOException {
        Path run = runs.resolve("det");
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel("roi-tiny-3d")
                .optTask(ActionDetectionTask.NAME).optFrames(4).optStride(2).optSize(32).optResize(32).optEpochs(2)
                .optBatch(4).optOptimizer("adamw").optLr(3e-3).optWarmupEpochs(0).optValClips(1).optWorkers(2).optSeed(1)
                .build();
        List<EpochMetrics> history = Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry())
                .setRunDirectory(run).build().fit();
        assertEquals(2, history.size());
        for (EpochMetrics m : history) {
            assertEquals(List.of(ActionDetectionTask.ACTOR_HIT), List.copyOf(m.train().keySet()));
            double map = m.validation(ActionDetectionTask.FRAME_MAP);
            assertTrue(map > 0 && map <= 1, "frame mAP " + map);
            double hit = m.validation(ActionDetectionTask.ACTOR_HIT);
            assertTrue(hit >= 0 && hit <= 1, "actor hit " + hit);
            assertTrue(Double.isFinite(m.trainLoss()) && m.trainLoss() > 0, "loss " + m.trainLoss());
        }
        String line = Files.readAllLines(run.resolve(RunDir.METRICS)).get(1);
        assertTrue(line.contains("\"val_frame_map\":") && line.contains("\"train_actor_hit\":"), line);
        assertTrue(Files.readString(run.resolve(RunDir.REPORT)).contains("Frame mAP@0.5"));
    }

    /**
     * {@code --init RUN}: a detector starts from the features of a run that classified whole clips
     * with the same model (AVA models start from Kinetics classifiers), copied exactly; a model whose
     * features differ is refused, naming the run.
     */
    @Test
    void aDetectorStartsFromAClassificationRunsFeatures() throws IOException {
        Path classifier = runs.resolve("cls");
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel("roi-tiny-3d").optFrames(4).optStride(2)
                .optSize(32).optResize(32).optEpochs(1).optBatch(4).optValClips(1).optWorkers(1).optSeed(1).build();
        Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry()).setRunDirectory(classifier).build().fit();
        try (NDManager manager = NDManager.newBaseManager()) {
            Block trained = RunDir.open(classifier).loadModel(manager, ModelFactory.registry());
            Block detector = ModelFactory.registry().create("roi-tiny-3d", 5, 4, 32);
            detector.initialize(manager, DataType.FLOAT32, config.input().shape(1));
            Map<String, ai.djl.nn.Parameter> from = dev.kinema.weights.ParameterNames.of(((dev.kinema.models.VideoModel) trained).features());
            int copied = BackboneInit.fromRun(detector, classifier);
            Map<String, ai.djl.nn.Parameter> to = dev.kinema.weights.ParameterNames.of(((dev.kinema.models.VideoModel) detector).features());
            assertEquals(from.size(), copied);
            assertTrue(copied >= 9, copied + " tensors");
            from.forEach((name, p) -> assertTrue(p.getArray().contentEquals(to.get(name).getArray()), name));
            Block other = ModelFactory.registry().create("tiny-3d", 3, 4, 32);
            other.initialize(manager, DataType.FLOAT32, config.input().shape(1));
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> BackboneInit.fromRun(other, classifier));
            assertTrue(e.getMessage().startsWith(classifier + ": its model does not fit"), e.getMessage());
        }
    }
}

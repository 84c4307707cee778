package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import dev.kinema.data.datasets.DatasetFormat;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.synth.ActionClass;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.MultiActorMotion;
import dev.kinema.tasks.ActionDetectionTask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
    void theFolderIsAnAvaDatasetWithOneLabelledSamplePerVideo() throws IOException {
        assertEquals(DatasetFormat.AVA, DatasetFormats.detect(data, java.util.Optional.empty()).format());
        VideoDataset videos = DatasetFormats.open(data);
        assertEquals(List.of("waving", "clapping", "jumping_jacks"), videos.labels());
        AvaDataset ava = AvaDataset.read(data);
        for (String split : List.of("train", "val", "test")) {
            List<VideoSample> samples = videos.samples(split);
            List<String> ids = ava.boxes().get(split).stream().map(ActorBox::videoId).distinct().toList();
            assertEquals(ids.size(), samples.size(), split);
            for (VideoSample s : samples) {
                String id = s.path().getFileName().toString().replace(".mp4", "");
                // The label is the video's most frequent action.
                Map<Integer, Long> counts = ava.boxes().get(split).stream().filter(b -> b.videoId().equals(id))
                        .collect(Collectors.groupingBy(ActorBox::actionId, Collectors.counting()));
                long most = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
                assertEquals(most, counts.get(ava.labels().keySet().stream().toList().get(s.label())), id);
                assertTrue(Files.isRegularFile(s.path()));
            }
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
}

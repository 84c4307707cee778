package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.tasks.MaskedVideoTask;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainingListener;
import dev.kinema.weights.SafetensorsFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VideoMAE pretraining on a tiny folder of videos: resume is exact, sheets and the encoder are written. */
class PretrainTest {
    @TempDir
    static Path dir;
    private static Path videos;
    private static Pretrain.Pretrained straight;

    @BeforeAll
    static void pretrainStraight() throws IOException {
        videos = TrainingVideos.movingSquares(dir.resolve("videos"), 5, 3, 1);
        straight = pretrain(dir.resolve("straight")).build().run();
    }

    private static Pretrain.Builder pretrain(Path run) {
        return Pretrain.builder().setData(videos).setModel("videomae-small").setRunDirectory(run).optMaskRatio(0.75)
                .optFrames(4).optStride(2).optSize(32).optEpochs(2).optBatch(2).optValVideos(1).optWorkers(1).optSeed(3);
    }

    private static final class Crash extends RuntimeException {}

    @Test
    void resumingAfterACrashEqualsPretrainingStraight() throws IOException {
        assertEquals(2, straight.history().size());
        assertEquals(7, straight.trainVideos(), "8 videos, 1 kept to validate on");
        TrainingListener crash = new TrainingListener() {
            @Override
            public void checkpointWritten(RunDir run, int epoch) {
                throw new Crash();
            }
        };
        Path interrupted = dir.resolve("interrupted");
        assertThrows(Crash.class, () -> pretrain(interrupted).optListener(crash).build().run());
        List<Integer> epochsRun = new ArrayList<>();
        Pretrain.Pretrained resumed = pretrain(interrupted).optResume(true).optListener(new TrainingListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int batches) {
                epochsRun.add(epoch);
            }
        }).build().run();
        assertEquals(List.of(2), epochsRun);
        for (int e = 0; e < 2; e++) {
            EpochMetrics a = straight.history().get(e);
            EpochMetrics b = resumed.history().get(e);
            assertEquals(a.trainLoss(), b.trainLoss(), "epoch " + (e + 1) + " train loss");
            assertEquals(a.validation("reconstruction_loss"), b.validation("reconstruction_loss"));
        }
        assertArrayEquals(Files.readAllBytes(straight.encoder()), Files.readAllBytes(resumed.encoder()),
                "the same encoder weights");

        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> pretrain(interrupted).optMaskRatio(0.5).optResume(true).build().run());
        assertTrue(other.getMessage().contains("mask ratio 0.75"), other.getMessage());
    }

    @Test
    void theRunHoldsTheEncoderUnderReferenceNamesAndAReconstructionSheetPerEpoch() throws IOException {
        Path run = straight.run();
        try (SafetensorsFile encoder = SafetensorsFile.open(run.resolve(Pretrain.ENCODER_FILE))) {
            assertTrue(encoder.names().contains("patch_embed.proj.weight"), encoder.names().toString());
            assertTrue(encoder.names().contains("blocks.3.attn.q_bias"), encoder.names().toString());
            assertTrue(encoder.names().contains("norm.weight"));
            assertTrue(encoder.names().stream().noneMatch(n -> n.startsWith("decoder") || n.startsWith("encoder.")),
                    encoder.names().toString());
        }
        assertTrue(Files.size(run.resolve("reconstruction-epoch-1.png")) > 0);
        assertTrue(Files.size(run.resolve("reconstruction-epoch-2.png")) > 0);
        String report = Files.readString(run.resolve(RunDir.REPORT));
        assertTrue(report.contains("reconstruction-epoch-2.png") && report.contains("reconstruction-epoch-1.png"));
        assertTrue(report.contains("loss.png"), "beside the loss curve");
        JsonNode data = new ObjectMapper().readTree(run.resolve(RunDir.CONFIG).toFile()).path("data");
        assertEquals(2, data.path("stride").asInt(), "clips sampled at the stride asked for, as fine-tuning will: " + data);
    }

    @Test
    void thePixelTargetIsSavedAndAResumeWithTheOtherTargetIsRefused() throws IOException {
        Path run = dir.resolve("pixels");
        Pretrain.Pretrained pixels = pretrain(run).optTarget(MaskedVideoTask.Target.PIXELS).optEpochs(1).build().run();
        JsonNode settings = new ObjectMapper().readTree(run.resolve(Pretrain.SETTINGS_FILE).toFile());
        assertEquals("pixels", settings.path("target").asText());
        // The same clips and masks as the straight run's first epoch, another target: another loss.
        assertNotEquals(straight.history().get(0).trainLoss(), pixels.history().get(0).trainLoss());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> pretrain(run).optEpochs(2).optResume(true).build().run());
        assertTrue(other.getMessage().contains("predict pixels") && other.getMessage().contains(run.toString()),
                other.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> MaskedVideoTask.Target.parse("depth"));
        assertTrue(unknown.getMessage().contains("'depth'"), unknown.getMessage());
    }

    @Test
    void aFolderWithoutVideosIsRefusedByName() {
        Path empty = dir.resolve("empty");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pretrain.unlabelled(empty, 2));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }
}

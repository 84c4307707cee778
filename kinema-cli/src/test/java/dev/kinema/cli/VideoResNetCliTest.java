package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.testing.TrainingVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The video ResNets from the command line: their table, one training epoch, and the model benchmark. */
class VideoResNetCliTest {
    @TempDir
    Path tmp;

    @Test
    void modelsShowsTorchvisionsCountAndCost() {
        CliRun run = CliRun.of("models", "r2plus1d_18");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("31,505,325") || run.out().contains("31505325"), run.out());
        assertTrue(run.out().contains("layer4.1"), run.out());
    }

    @Test
    void trainsOneEpochOnATinyClip() throws Exception {
        Path data = TrainingVideos.movingSquares(tmp.resolve("squares"), 1, 4, 2, 2);
        Path out = tmp.resolve("run");
        CliRun run = CliRun.of("train", "--data", data.toString(), "--model", "mc3_18", "--out", out.toString(),
                "--frames", "4", "--stride", "1", "--size", "32", "--epochs", "1", "--batch", "4", "--lr", "0.01",
                "--val-clips", "1", "--workers", "1", "--seed", "0");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertEquals(1, lines.size());
        JsonNode epoch = Json.MAPPER.readTree(lines.get(0));
        assertTrue(Double.isFinite(epoch.get("train_loss").asDouble()), lines.get(0));
        assertTrue(Files.isRegularFile(out.resolve("checkpoint.ckpt")));
    }

    @Test
    void benchModelReportsBothModes() throws Exception {
        CliRun run = CliRun.of("bench", "model", "--name", "r2plus1d_18", "--input", "3x4x32x32", "--batch", "2", "--train",
                "--warmup", "1", "--repeats", "2", "--classes", "5", "--threads", "1", "--json");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        for (int i = 0; i < 2; i++) {
            JsonNode r = Json.MAPPER.readTree(lines.get(i));
            assertEquals(i == 0 ? "INFERENCE" : "TRAIN", r.get("mode").asText());
            assertEquals("r2plus1d_18", r.get("model").asText());
            assertEquals(2, r.get("seconds").size());
            assertEquals(List.of(3, 4, 32, 32), List.of(r.get("input").get(0).asInt(), r.get("input").get(1).asInt(),
                    r.get("input").get(2).asInt(), r.get("input").get(3).asInt()));
            assertEquals(1, r.get("threads").asInt(), r.toString());
            assertTrue(r.get("medianSeconds").asDouble() > 0, r.toString());
            assertEquals(0, r.get("arraysLeftBehind").asInt(), "every step frees its arrays: " + r);
            // Batch norms folded into their convolutions by default (ConvNormFolding), their cache kept across steps.
            assertTrue(r.get("fuseBn").asBoolean(), r.toString());
            // Model FLOPs per second: 2 per multiply-add of the profiler's count for inference, 6 for a step.
            long macs = r.get("macsPerClip").asLong();
            assertTrue(macs > 0, r.toString());
            assertEquals((i == 0 ? 2.0 : 6.0) * macs * 2 / r.get("medianSeconds").asDouble() / 1e9,
                    r.get("gflopPerSecond").asDouble(), 1e-9, r.toString());
        }
        CliRun bad = CliRun.of("bench", "model", "--name", "mc3_18", "--input", "3x4x32");
        assertTrue(bad.exitCode() != 0);
        assertTrue(bad.err().contains("--input is C x T x H x W"), bad.err());
    }
}

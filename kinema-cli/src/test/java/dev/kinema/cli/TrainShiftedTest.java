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

/**
 * tsm_r18 trains and evaluates with `kinema train` / `kinema eval` like any registered model: one
 * epoch on a few tiny videos (i3d's forward and backward are in ModelRegistryTest; its CLI run takes
 * too long for a unit test).
 */
class TrainShiftedTest {
    @TempDir
    static Path tmp;

    @Test
    void tsmR18TrainsOneEpochOnTinyVideos() throws Exception {
        String model = "tsm_r18";
        Path data = TrainingVideos.movingSquares(tmp.resolve("squares"), 5, 2, 1, 1);
        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", model, "--out", run.toString(),
                "--frames", "4", "--stride", "1", "--size", "32", "--epochs", "1", "--batch", "2", "--val-clips", "1",
                "--no-flip", "--workers", "1", "--seed", "0");
        assertEquals(0, train.exitCode(), train.err());
        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(1, lines.size());
        JsonNode epoch = Json.MAPPER.readTree(lines.get(0));
        assertTrue(Double.isFinite(epoch.get("train_loss").asDouble()), lines.get(0));
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.ckpt")));

        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "1", "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(2, Json.MAPPER.readTree(eval.out()).get("classes").size());
    }
}

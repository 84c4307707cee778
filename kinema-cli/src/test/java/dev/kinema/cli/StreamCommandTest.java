package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.testing.TrainingVideos;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinema stream} on a trained stream-x3d-s run (one epoch of tiny squares): a file and a
 * video piped into standard input each give one JSON line every N frames, and a run of a
 * non-causal model is refused in one line.
 */
class StreamCommandTest {
    @TempDir
    static Path tmp;

    static Path data;
    static Path run;
    static Path video;

    @BeforeAll
    static void train() {
        data = TrainingVideos.movingSquares(tmp.resolve("squares"), 5, 2, 1);
        run = tmp.resolve("run");
        CliRun training = CliRun.of("train", "--data", data.toString(), "--model", "stream-x3d-s", "--out", run.toString(),
                "--frames", "4", "--stride", "2", "--size", "32", "--epochs", "1", "--batch", "4", "--val-clips", "1",
                "--workers", "1", "--seed", "0");
        assertEquals(0, training.exitCode(), training.err());
        video = data.resolve("val/left/val_00.mp4");
    }

    @Test
    void aFileGivesOneJsonLinePerStep() throws Exception {
        CliRun r = CliRun.of("stream", video.toString(), "--run", run.toString(), "--every", "4", "--json");
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(TrainingVideos.FRAMES / 4, lines.size(), r.out());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode step = Json.MAPPER.readTree(lines.get(i));
            assertEquals(4 * i + 3, step.get("frame").asInt());
            assertEquals((4 * i + 3) / TrainingVideos.FPS, step.get("seconds").asDouble(), 1e-3);
            assertEquals(2, step.get("top").size());   // two classes: --top 3 gives both
            assertEquals(Set.of("left", "right"), Set.of(step.get("top").get(0).get("label").asText(),
                    step.get("top").get(1).get("label").asText()));
            assertTrue(step.get("latencyMs").asDouble() > 0);
        }
    }

    @Test
    void standardInputIsAPipe() throws Exception {
        InputStream old = System.in;
        CliRun r;
        try (InputStream in = Files.newInputStream(video)) {
            System.setIn(in);
            r = CliRun.of("stream", "-", "--run", run.toString(), "--every", "5");
        } finally {
            System.setIn(old);
        }
        assertEquals(0, r.exitCode(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(5, lines.size(), r.out());   // frames 4, 9, 14, the last (15) and the summary
        assertTrue(lines.get(3).startsWith("frame 15 (1.88 s): "), r.out());
        assertTrue(lines.get(lines.size() - 1).contains("16 frames, 0 dropped"), r.out());
    }

    @Test
    void aRunOfANonCausalModelIsRefusedInOneLine() {
        Path plain = tmp.resolve("plain");
        CliRun t = CliRun.of("train", "--data", data.toString(), "--model", "tiny-3d", "--out", plain.toString(),
                "--frames", "4", "--size", "32", "--epochs", "1", "--batch", "4", "--val-clips", "1", "--workers", "1");
        assertEquals(0, t.exitCode(), t.err());
        CliRun r = CliRun.of("stream", video.toString(), "--run", plain.toString());
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("no causal streaming layers"), r.err());
    }
}

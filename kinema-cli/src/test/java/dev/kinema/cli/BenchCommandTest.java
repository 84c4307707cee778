package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.synth.IndexCodedVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmarks run and report what they did; their numbers are recorded in docs, never asserted. */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void decodeBenchmarkReportsItsWork() throws Exception {
        Path video = dir.resolve("v.mp4");
        IndexCodedVideo.write(video, 60, 64, 48, 20);
        for (String mode : List.of("uniform", "random")) {
            CliRun run = CliRun.of("bench", "decode", video.toString(), "--frames", "8", "--size", "32",
                    "--clips", "3", "--mode", mode);
            assertEquals(0, run.exitCode(), run.err());
            JsonNode r = Json.MAPPER.readTree(run.out().strip());
            assertEquals(3, r.get("clips").asInt());
            assertEquals(mode.toUpperCase(), r.get("mode").asText());
            assertTrue(r.get("clipsPerSecond").asDouble() > 0);
            assertTrue(r.get("framesDecodedPerClip").asDouble() >= 8, r.toString());
        }
    }

    @Test
    void loaderBenchmarkRunsForEachWorkerCount() throws Exception {
        for (String c : List.of("a", "b")) {
            Path cls = Files.createDirectories(dir.resolve("train").resolve(c));
            for (int i = 0; i < 3; i++) {
                IndexCodedVideo.write(cls.resolve(c + i + ".mp4"), 20, 64, 48, 10);
            }
        }
        CliRun run = CliRun.of("bench", "loader", dir.toString(), "--workers", "1,2", "--batches", "2", "--batch", "2",
                "--clip-len", "4", "--size", "32", "--short-side", "40");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        assertEquals(2, Json.MAPPER.readTree(lines.get(1)).get("workers").asInt());
        assertEquals(4, Json.MAPPER.readTree(lines.get(0)).get("clips").asInt());
    }
}

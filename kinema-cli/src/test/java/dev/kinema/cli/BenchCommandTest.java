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
    void concurrentDecodingDoesTheSameWorkOnTheSameClips() throws Exception {
        Path video = dir.resolve("v.mp4");
        IndexCodedVideo.write(video, 60, 64, 48, 20);
        double[] framesPerClip = new double[2];
        for (int concurrent = 1; concurrent <= 2; concurrent++) {
            CliRun run = CliRun.of("bench", "decode", video.toString(), "--frames", "8", "--size", "32", "--clips", "6",
                    "--mode", "random", "--stride", "2", "--threads", "1", "--concurrent", String.valueOf(concurrent));
            assertEquals(0, run.exitCode(), run.err());
            JsonNode r = Json.MAPPER.readTree(run.out().strip());
            assertEquals(concurrent, r.get("concurrent").asInt());
            assertEquals("FRAME", r.get("threadType").asText());
            assertTrue(r.get("cpuSeconds").asDouble() > 0, r.toString());
            framesPerClip[concurrent - 1] = r.get("framesDecodedPerClip").asDouble();
        }
        assertEquals(framesPerClip[0], framesPerClip[1], 0.0, "the same clips, whatever the concurrency");
        CliRun kept = CliRun.of("bench", "decode", video.toString(), "--clips", "2", "--keep-open", "--concurrent", "2");
        assertTrue(kept.exitCode() != 0 && kept.err().contains("keep-open"),
                "concurrent clips with one shared reader is a usage error: " + kept.err());
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

    @Test
    void sgemmPeakReportsTheRateOfItsProducts() throws Exception {
        CliRun run = CliRun.of("bench", "sgemm", "--size", "128", "--threads", "1", "--warmup", "1", "--repeats", "3",
                "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode r = Json.MAPPER.readTree(run.out().strip());
        assertEquals(3, r.get("seconds").size(), r.toString());
        assertEquals(1, r.get("threads").asInt(), r.toString());
        double fastest = Double.MAX_VALUE;
        for (JsonNode s : r.get("seconds")) {
            fastest = Math.min(fastest, s.asDouble());
        }
        // The peak is the fastest product's 2n^3 FLOPs, and no repeat beats it.
        assertEquals(2.0 * 128 * 128 * 128 / fastest / 1e9, r.get("bestGflopPerSecond").asDouble(), 1e-6, r.toString());
        assertTrue(r.get("medianGflopPerSecond").asDouble() <= r.get("bestGflopPerSecond").asDouble(), r.toString());
        CliRun bad = CliRun.of("bench", "sgemm", "--size", "0");
        assertTrue(bad.exitCode() != 0);
        assertTrue(bad.err().contains("size and repeats must be >= 1"), bad.err());
    }
}

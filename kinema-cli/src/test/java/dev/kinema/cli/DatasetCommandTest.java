package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.synth.IndexCodedVideo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetCommandTest {
    @TempDir
    Path root;

    /** train: jump 2.0 s + 3.0 s, run 1.0 s (20 fps, wider); val: jump 2.0 s, run empty.mp4. */
    @BeforeEach
    void writeDataset() throws IOException {
        video("train/jump/j1.mp4", 20, 32, 32, 10);
        video("train/jump/j2.mp4", 30, 32, 32, 10);
        video("train/run/r1.mp4", 20, 48, 32, 20);
        video("val/jump/j3.mp4", 20, 32, 32, 10);
        Files.createDirectories(root.resolve("val/run"));
        Files.createFile(root.resolve("val/run/empty.mp4"));
    }

    private void video(String relative, int frames, int width, int height, double fps) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        IndexCodedVideo.write(p, frames, width, height, fps);
    }

    @Test
    void jsonHasCountsDurationsHistogramsAndUnreadableFiles() throws Exception {
        CliRun run = CliRun.of("dataset", "stats", root.toString(), "--json", "--workers", "2");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(1, lines.size(), run.out());
        JsonNode j = Json.MAPPER.readTree(lines.get(0));

        assertEquals("folder", j.get("format").asText());
        assertEquals(List.of("jump", "run"), Json.MAPPER.convertValue(j.get("classes"), List.class));
        assertEquals(2, j.at("/counts/train/jump").asInt());
        assertEquals(1, j.at("/counts/train/run").asInt());
        assertEquals(1, j.at("/counts/val/run").asInt());
        assertEquals(5, j.get("samples").asInt());
        assertEquals(5, j.get("videoFiles").asInt());
        assertEquals(2, j.get("workers").asInt());

        assertEquals(3, j.at("/durationsBySplit/train/videos").asInt());
        assertEquals(1.0, j.at("/durationsBySplit/train/minSeconds").asDouble(), 1e-6);
        assertEquals(2.0, j.at("/durationsBySplit/train/medianSeconds").asDouble(), 1e-6);
        assertEquals(2.0, j.at("/durationsBySplit/train/meanSeconds").asDouble(), 1e-6);
        assertEquals(3.0, j.at("/durationsBySplit/train/maxSeconds").asDouble(), 1e-6);
        assertEquals(1, j.at("/durationsBySplit/val/videos").asInt());
        assertEquals(8.0, j.at("/durations/totalSeconds").asDouble(), 1e-6);
        assertEquals(8.0 / 3600, j.at("/durations/totalHours").asDouble(), 1e-9);

        assertEquals("10", j.at("/frameRates/0/value").asText());
        assertEquals(3, j.at("/frameRates/0/videos").asInt());
        assertEquals("20", j.at("/frameRates/1/value").asText());
        assertEquals("32x32", j.at("/resolutions/0/value").asText());
        assertEquals("48x32", j.at("/resolutions/1/value").asText());

        assertEquals(1, j.get("unreadableCount").asInt());
        assertEquals(root.resolve("val/run/empty.mp4").toString(), j.at("/unreadable/0/file").asText());
        assertEquals("file is empty (0 bytes)", j.at("/unreadable/0/reason").asText());
        assertEquals(0, j.get("problems").size());
    }

    @Test
    void textReportTablesTheCountsAndDurationsAndNamesUnreadableFiles() throws Exception {
        Files.createDirectories(root.resolve("train/sit"));
        CliRun run = CliRun.of("dataset", "stats", root.toString(), "--workers", "1");
        assertEquals(0, run.exitCode(), run.err());
        String out = run.out();
        assertTrue(out.contains("\njump       2    1      3\n"), out);
        assertTrue(out.contains("probed 5 video files with 1 worker in"), out);
        assertTrue(out.contains("train              3     1.00     2.00     2.00     3.00    0.002\n"), out);
        assertTrue(out.contains("frame rate (fps): 10 (3), 20 (1)"), out);
        assertTrue(out.contains("size:             32x32 (3), 48x32 (1)"), out);
        assertTrue(out.contains("unreadable files: 1 of 5\n  " + root.resolve("val/run/empty.mp4")
                + ": file is empty (0 bytes)"), out);
        assertTrue(out.contains("annotation problems: 1\n  train/sit: no video files or frame folders"), out);
    }

    @Test
    void aDatasetThatCannotBeReadIsAnErrorNamingIt() {
        CliRun run = CliRun.of("dataset", "stats", root.resolve("nope").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains(root.resolve("nope") + ": not a directory"), run.err());
    }
}

package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kinema adamml trains and evaluates a policy; kinema classify --policy prints each segment's modalities. */
class AdaMmlCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsAPolicyAndClassifiesWithIt() throws Exception {
        Path data = dir.resolve("data");
        CliRun synth = CliRun.of("synth", "--out", data.toString(), "--audio", "--classes", "clapping,juggling",
                "--videos-per-class", "7", "--size", "16", "--fps", "8", "--seconds", "2", "--workers", "1");
        assertEquals(0, synth.exitCode(), synth.err());
        Path run = dir.resolve("policy");
        CliRun train = CliRun.of("adamml", "--data", data.toString(), "--out", run.toString(), "--epochs", "1",
                "--segments", "2", "--size", "16", "--efficiency", "0.5");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("epoch 1/1: loss "), train.out());
        long evaluations = train.out().lines().filter(l -> l.startsWith("{\"split\":\"test\"")).count();
        assertEquals(2, evaluations, "the policy's evaluation and every modality's: " + train.out());
        assertTrue(train.out().lines().anyMatch(l -> l.matches(".*\"computeFraction\":(1\\.0|0\\.99999\\d*),\"usage\":\\[1\\.0,1\\.0,1\\.0\\].*")),
                "every modality on every segment costs all: " + train.out());
        assertTrue(Files.isRegularFile(run.resolve("adamml.json")) && Files.isRegularFile(run.resolve("adamml.params")));

        Path video;
        try (Stream<Path> files = Files.walk(data.resolve("test"))) {
            video = files.filter(p -> p.toString().endsWith(".mp4")).findFirst().orElseThrow();
        }
        CliRun classify = CliRun.of("classify", "--policy", run.toString(), video.toString());
        assertEquals(0, classify.exitCode(), classify.err());
        String[] lines = classify.out().strip().split("\\R");
        assertEquals(3, lines.length, "the video, then one line per segment: " + classify.out());
        assertTrue(lines[0].startsWith(video + ": ") && lines[0].contains("of the all-modalities compute"), lines[0]);
        for (int s = 1; s < 3; s++) {
            assertTrue(lines[s].matches("\\s+\\d+\\.\\d\\d-\\d+\\.\\d\\d s\\s+(-|(rgb|flow|audio)(\\+(flow|audio))*)\\b.*"), lines[s]);
        }
    }

    @Test
    void classifyWithoutARunOrAPolicyNamesWhatIsMissing() {
        CliRun plain = CliRun.of("classify", dir.resolve("v.mp4").toString());
        assertEquals(2, plain.exitCode());
        assertTrue(plain.err().contains("Missing required option: '--run=RUN'"), plain.err());
        CliRun notARun = CliRun.of("classify", "--policy", dir.toString(), dir.resolve("v.mp4").toString());
        assertEquals(1, notARun.err().strip().lines().count(), notARun.err());
        assertTrue(notARun.err().contains("adamml.json") && notARun.exitCode() != 0, notARun.err());
    }
}

package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.testing.SharedData;
import dev.kinema.viz.LineChart;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinema synth --sounding-and-silent}, then a one-epoch correspondence run, then
 * {@code kinema av-localize} (GIF, JSON, hit rate) and {@code kinema av-sync} on a real clip with
 * sound: their options and output, not what the run learned (the recipes' tests check that).
 */
class AvCommandsTest {
    @TempDir
    Path dir;

    @Test
    void synthTrainLocaliseAndSync() throws Exception {
        Path data = dir.resolve("sos");
        CliRun synth = CliRun.of("synth", "--sounding-and-silent", "--out", data.toString(), "--videos-per-class", "1",
                "--size", "32", "--seconds", "2", "--seed", "4");
        assertEquals(0, synth.exitCode(), synth.err());
        assertTrue(synth.out().contains("wrote 8 sounding-and-silent videos"), synth.out());
        Path video;
        try (Stream<Path> files = Files.walk(data.resolve("train"))) {
            video = files.filter(f -> f.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        }
        String name = video.getFileName().toString().replace(".mp4", "");
        Path boxes = data.resolve("boxes").resolve(name + ".csv");
        assertEquals(51, Files.readAllLines(boxes).size(), "a header and 50 frames");

        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", "av-correspondence", "--task",
                "av-correspondence", "--out", run.toString(), "--frames", "8", "--stride", "4", "--size", "32", "--resize", "32",
                "--epochs", "1", "--batch", "4", "--workers", "1");
        assertEquals(0, train.exitCode(), train.err());

        Path gif = dir.resolve("heat.gif");
        CliRun localise = CliRun.of("av-localize", video.toString(), "--run", run.toString(), "--gif", gif.toString(),
                "--clips", "2", "--boxes", boxes.toString(), "--json");
        assertEquals(0, localise.exitCode(), localise.err());
        JsonNode json = Json.MAPPER.readTree(localise.out());
        assertEquals(16, json.get("peaks").size(), "8 frames of 2 clips");
        assertTrue(json.get("hit_rate").asDouble() >= 0 && json.get("chance").asDouble() > 0);
        assertTrue(Files.size(gif) > 1000);

        Path curve = dir.resolve("offsets.png");
        CliRun sync = CliRun.of("av-sync", SharedData.file("cup.mp4").toString(), "--run", run.toString(), "--max-shift", "1",
                "--step", "0.5", "--clips", "2", "--png", curve.toString());
        assertEquals(0, sync.exitCode(), sync.err());
        assertTrue(sync.out().contains("sound offset"), sync.out());
        assertEquals(1 + 5, sync.out().strip().split("\n").length, sync.out());
        BufferedImage chart = ImageIO.read(curve.toFile());
        assertEquals(640, chart.getWidth(), "the chart's default width");
        assertTrue(hasColour(chart, LineChart.PALETTE.get(0).getRGB()), "the curve is drawn in the first series colour");

        CliRun silent = CliRun.of("av-sync", SharedData.file("vtest.avi").toString(), "--run", run.toString());
        assertNotEquals(0, silent.exitCode());
        assertTrue(silent.err().contains("vtest.avi") && silent.err().contains("no audio stream"), silent.err());
    }

    private static boolean hasColour(BufferedImage image, int rgb) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (rgb & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }
}

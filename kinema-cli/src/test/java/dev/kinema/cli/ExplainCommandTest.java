package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.TrainedRuns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinema explain gradcam|filters|optimise} on a tiny trained run: options, files and messages. */
class ExplainCommandTest {
    @TempDir
    static Path tmp;

    static Path run;
    static Path video;

    @BeforeAll
    static void train() throws Exception {
        run = TrainedRuns.tinySquares(tmp.resolve("squares"), tmp.resolve("run"));
        try (var files = Files.walk(tmp.resolve("squares"))) {
            video = files.filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void gradcamWritesTheOverlaysTimelineJsonAndPage() throws Exception {
        Path out = tmp.resolve("gradcam");
        CliRun r = CliRun.of("explain", "gradcam", video.toString(), "--run", run.toString(), "--class", "right",
                "--clips", "2", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("tiny-3d explained for 'right' at layer conv2 (2 clips)"), r.out());
        for (String f : List.of("gradcam.gif", "timeline.png", "gradcam.json", "frames.png", "index.html")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        var json = Json.MAPPER.readTree(out.resolve("gradcam.json").toFile());
        assertEquals("right", json.get("class").asText());
        assertEquals(2, json.get("clips").size());
        assertEquals(4, json.get("clips").get(0).get("frames").size(), "one score per frame of a 4-frame clip");
        String page = Files.readString(out.resolve("index.html"));
        assertTrue(page.contains("<img src=\"gradcam.gif\"") && page.contains("Top classes"), page);
    }

    @Test
    void filtersAndOptimiseWritePictures() throws Exception {
        CliRun f = CliRun.of("explain", "filters", "--run", run.toString(), "--out", tmp.resolve("f.gif").toString());
        assertEquals(0, f.exitCode(), f.err());
        assertTrue(Files.size(tmp.resolve("f.gif")) > 0);
        CliRun o = CliRun.of("explain", "optimise", "--run", run.toString(), "--class", "left", "--steps", "3",
                "--temporal-smoothness", "0,1", "--out", tmp.resolve("o.gif").toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("left, temporal smoothness 0.0: score ") && o.out().contains("temporal smoothness 1.0"), o.out());
        assertTrue(Files.size(tmp.resolve("o.gif")) > 0);
    }

    @Test
    void theModelCardNamesTheLayerGradCamExplainsByDefault() throws Exception {
        CliRun text = CliRun.of("models", "tiny-3d");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("Grad-CAM layer (explain gradcam's default): conv2"), text.out());
        CliRun json = CliRun.of("models", "vivit-joint-small", "--json");
        assertEquals(0, json.exitCode(), json.err());
        assertTrue(Json.MAPPER.readTree(json.out()).get("gradcam_layer").isNull(), "a transformer has no map to explain");
    }

    @Test
    void badInputIsOneLineNamingIt() {
        CliRun cls = CliRun.of("explain", "gradcam", video.toString(), "--run", run.toString(), "--class", "up",
                "--out", tmp.resolve("x").toString());
        assertNotEquals(0, cls.exitCode());
        assertTrue(cls.err().contains("no class 'up'; the classes are [left, right]"), cls.err());
        CliRun layer = CliRun.of("explain", "gradcam", video.toString(), "--run", run.toString(), "--layer", "conv7",
                "--out", tmp.resolve("y").toString());
        assertNotEquals(0, layer.exitCode());
        assertTrue(layer.err().contains("no layer 'conv7'"), layer.err());
        CliRun missing = CliRun.of("explain", "gradcam", tmp.resolve("none.mp4").toString(), "--run", run.toString(),
                "--out", tmp.resolve("z").toString());
        assertNotEquals(0, missing.exitCode());
        assertTrue(missing.err().contains("none.mp4"), missing.err());
        CliRun format = CliRun.of("explain", "filters", "--run", run.toString(), "--out", tmp.resolve("f.jpg").toString());
        assertNotEquals(0, format.exitCode());
        assertTrue(format.err().contains("f.jpg: filters are written as .png"), format.err());
    }
}

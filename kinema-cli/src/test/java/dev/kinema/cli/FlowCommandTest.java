package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.flow.FlowCache;
import dev.kinema.flow.FlowMethod;
import dev.kinema.flow.FlowSettings;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kinema flow}, {@code flow-viz} and {@code bench flow} on a tiny Kinema-Motion dataset. */
class FlowCommandTest {
    @TempDir
    static Path shared;
    static Path dataset;

    @TempDir
    Path tmp;

    @BeforeAll
    static void synth() {
        dataset = shared.resolve("km");
        CliRun run = CliRun.of("synth", "--out", dataset.toString(), "--videos-per-class", "1", "--size", "64x48",
                "--seconds", "0.6", "--classes", "slide_left,clapping", "--workers", "2");
        assertEquals(0, run.exitCode(), run.err());
    }

    static List<Path> entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".kflow")).sorted().toList();
        }
    }

    @Test
    void withoutAMethodFlowIsFarneback() throws Exception {
        Path out = tmp.resolve("default");
        CliRun run = CliRun.of("flow", dataset.toString(), "--size", "32", "--out", out.toString(), "--workers", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("farneback at 32 px"), run.out());
        assertEquals(FlowMethod.FARNEBACK, FlowCache.open(out).settings().method());
    }

    @Test
    void flowPrecomputesEveryVideoAndResumes() throws Exception {
        Path out = tmp.resolve("flow");
        CliRun first = CliRun.of("flow", dataset.toString(), "--method", "farneback", "--size", "48",
                "--out", out.toString(), "--workers", "2");
        assertEquals(0, first.exitCode(), first.err());
        assertTrue(first.out().contains("2 videos, 2 computed, 0 already done, 0 failed"), first.out());
        assertTrue(first.out().contains("bytes per field"), first.out());
        assertEquals(2, entries(out).size());
        FlowCache cache = FlowCache.open(out, new FlowSettings(FlowMethod.FARNEBACK, 48, 1));
        assertEquals(14, cache.flowOf(dataset.resolve("train/slide_left/slide_left_0000.mp4")).fields());

        CliRun again = CliRun.of("flow", dataset.toString(), "--method", "farneback", "--size", "48", "--out", out.toString());
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("2 videos, 0 computed, 2 already done"), again.out());
    }

    @Test
    void aBadVideoIsReportedByNameAndFailsTheRunWithoutStoppingIt() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("x"));
        Files.copy(dataset.resolve("train/clapping/clapping_0000.mp4"), data.resolve("x/good.mp4"));
        Files.write(data.resolve("x/damaged.mp4"), new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 1, 2});
        Path out = tmp.resolve("flow");
        CliRun run = CliRun.of("flow", data.toString(), "--method", "dis", "--size", "32", "--out", out.toString());
        assertEquals(1, run.exitCode(), run.out());
        assertTrue(run.err().contains("damaged.mp4"), run.err());
        assertTrue(run.out().contains("1 computed") && run.out().contains("1 failed"), run.out());
        assertEquals(1, entries(out).size());
    }

    @Test
    void mismatchedSettingsAndUnknownMethodsAreClearErrors() {
        Path out = tmp.resolve("flow");
        assertEquals(0, CliRun.of("flow", dataset.toString(), "--method", "dis-ultrafast", "--size", "32",
                "--out", out.toString()).exitCode());
        CliRun other = CliRun.of("flow", dataset.toString(), "--method", "dis-ultrafast", "--size", "40", "--out", out.toString());
        assertEquals(2, other.exitCode());
        assertTrue(other.err().contains("32 px") && other.err().contains("40 px"), other.err());

        CliRun bogus = CliRun.of("flow", dataset.toString(), "--method", "horn-schunck", "--out", tmp.resolve("f2").toString());
        assertEquals(2, bogus.exitCode());
        assertTrue(bogus.err().contains("horn-schunck") && bogus.err().contains("tvl1"), bogus.err());
    }

    @Test
    void flowVizWritesAGifAndAPngThatDecode() throws Exception {
        Path video = dataset.resolve("train/slide_left/slide_left_0000.mp4");
        Path gif = tmp.resolve("viz/flow.gif");
        CliRun g = CliRun.of("flow-viz", video.toString(), "--out", gif.toString(), "--method", "farneback",
                "--size", "48", "--pairs", "4");
        assertEquals(0, g.exitCode(), g.err());
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals(4, reader.getNumImages(true), "one panel per flow field");
            BufferedImage panel = reader.read(0);
            assertTrue(panel.getWidth() > 2 * 64 && panel.getHeight() == 48, panel.getWidth() + "x" + panel.getHeight());
        }
        Path png = tmp.resolve("viz/flow.png");
        CliRun p = CliRun.of("flow-viz", video.toString(), "--out", png.toString(), "--method", "farneback",
                "--size", "48", "--pairs", "1", "--start", "5");
        assertEquals(0, p.exitCode(), p.err());
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img);
        assertTrue(img.getWidth() > 2 * 64, "frame and flow side by side: " + img.getWidth());
    }

    @Test
    void flowVizOfABadFileNamesIt() throws Exception {
        Path bad = tmp.resolve("notavideo.mp4");
        Files.writeString(bad, "hello");
        CliRun run = CliRun.of("flow-viz", bad.toString(), "--out", tmp.resolve("x.gif").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("notavideo.mp4"), run.err());
        assertTrue(!Files.exists(tmp.resolve("x.gif")));
    }

    @Test
    void benchFlowReportsPairsPerSecond() throws Exception {
        Path video = dataset.resolve("train/clapping/clapping_0000.mp4");
        CliRun run = CliRun.of("bench", "flow", video.toString(), "--method", "dis-fast", "--size", "48", "--pairs", "5",
                "--repeat", "2");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        JsonNode r = Json.MAPPER.readTree(lines.get(0));
        assertEquals(5, r.get("pairs").asInt());
        assertEquals("dis-fast", r.get("method").asText());
        assertEquals(64, r.get("width").asInt());
        assertTrue(r.get("pairsPerSecond").asDouble() > 0);
    }
}

package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.testing.TrainingVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kinema explain} on a tiny two-stream comparison (squares sliding left or right, one epoch,
 * Farneback flow computed on the fly): the temporal stream's flow filters and optimised flow stack,
 * and Grad-CAM of the fused model at both streams with the flow on its page.
 */
class ExplainTwoStreamCliTest {
    private static final int L = 4;

    @TempDir
    static Path tmp;

    static Path runs;
    static Path video;

    @BeforeAll
    static void compareTheStreams() throws Exception {
        Path data = TrainingVideos.movingSquares(tmp.resolve("squares"), 4, 2, 1, 2);
        Path out = tmp.resolve("compare");
        CliRun compare = CliRun.of("compare", "--data", data.toString(), "--models",
                "spatial-stream,temporal-stream,two-stream-avg", "--epochs", "1", "--frames", "4", "--stride", "2",
                "--size", "32", "--flow-length", String.valueOf(L), "--flow-method", "farneback", "--clips", "1",
                "--no-flip", "--workers", "1", "--out", out.toString());
        assertEquals(0, compare.exitCode(), compare.out() + compare.err());
        runs = out.resolve("runs");
        try (var files = Files.walk(data.resolve("test"))) {
            video = files.filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        }
    }

    @Test
    void temporalStreamFiltersAndOptimisedFlow() throws Exception {
        Path run = runs.resolve("temporal-stream");
        CliRun f = CliRun.of("explain", "filters", "--run", run.toString(), "--out", tmp.resolve("flow.png").toString());
        assertEquals(0, f.exitCode(), f.err());
        assertTrue(Files.size(tmp.resolve("flow.png")) > 0);
        CliRun o = CliRun.of("explain", "optimise", "--run", run.toString(), "--class", "left", "--steps", "4",
                "--temporal-smoothness", "0,4", "--out", tmp.resolve("flow.gif").toString());
        assertEquals(0, o.exitCode(), o.err());
        assertTrue(o.out().contains("left, temporal smoothness 4.0: score "), o.out());
        assertTrue(Files.size(tmp.resolve("flow.gif")) > 0);
    }

    @Test
    void gradcamOfTheTemporalStreamAndOfTheFusedModel() throws Exception {
        Path temporal = tmp.resolve("gradcam-temporal");
        CliRun t = CliRun.of("explain", "gradcam", video.toString(), "--run", runs.resolve("temporal-stream").toString(),
                "--out", temporal.toString());
        assertEquals(0, t.exitCode(), t.err());
        assertTrue(t.out().contains("temporal-stream explained for"), t.out());

        Path fused = tmp.resolve("gradcam-fused");
        CliRun r = CliRun.of("explain", "gradcam", video.toString(), "--run", runs.resolve("two-stream-avg").toString(),
                "--class", "right", "--out", fused.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("explained for 'right' at layer spatial.features and temporal.features"), r.out());
        for (String file : List.of("gradcam.gif", "flow.gif", "timeline.png", "gradcam.json", "index.html")) {
            assertTrue(Files.size(fused.resolve(file)) > 0, file);
        }
        JsonNode frame = Json.MAPPER.readTree(fused.resolve("gradcam.json").toFile()).get("clips").get(0).get("frames").get(0);
        double flowCam = frame.get("gradcam_flow").asDouble();
        assertTrue(flowCam >= 0 && flowCam <= 1, frame.toString());
        String page = Files.readString(fused.resolve("index.html"));
        assertTrue(page.contains("<img src=\"flow.gif\"") && page.contains("the temporal stream's Grad-CAM over it"), page);
    }
}

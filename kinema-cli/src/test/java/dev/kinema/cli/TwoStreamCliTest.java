package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.testing.TrainingVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two-stream recipe end to end on squares sliding left or right, with Farneback flow computed
 * on the fly: both streams trained for one epoch by {@code kinema compare}, fused by averaging and
 * by a fitted linear classifier, and the fused runs evaluated and classified from their directories.
 */
class TwoStreamCliTest {
    private static final int L = 4;

    @TempDir
    static Path tmp;

    static Path data;
    static Path out;
    static CliRun compare;

    @BeforeAll
    static void compareTheStreams() {
        data = TrainingVideos.movingSquares(tmp.resolve("squares"), 5, 3, 1, 2);
        out = tmp.resolve("compare");
        compare = CliRun.of("compare", "--data", data.toString(), "--models",
                "spatial-stream,temporal-stream,two-stream-avg,two-stream-linear", "--epochs", "1", "--frames", "4",
                "--stride", "2", "--size", "32", "--flow-length", String.valueOf(L), "--flow-method", "farneback",
                "--clips", "2", "--fusion-clips", "2", "--no-flip", "--workers", "1", "--out", out.toString());
    }

    @Test
    void compareTabulatesTheStreamsAndTheirFusions() throws Exception {
        assertEquals(0, compare.exitCode(), compare.out() + compare.err());
        JsonNode rows = Json.MAPPER.readTree(Files.readString(out.resolve("compare.json")));
        Map<String, JsonNode> byModel = new HashMap<>();
        rows.forEach(r -> byModel.put(r.get("model").asText(), r));
        assertEquals(List.of("spatial-stream", "temporal-stream", "two-stream-avg", "two-stream-linear"),
                List.of(rows.get(0).get("model").asText(), rows.get(1).get("model").asText(),
                        rows.get(2).get("model").asText(), rows.get(3).get("model").asText()));
        assertEquals("4x32x32", byModel.get("spatial-stream").get("clip").asText());
        assertEquals(L + "x32x32 flow", byModel.get("temporal-stream").get("clip").asText());
        assertEquals(L + "x32x32 rgb+flow", byModel.get("two-stream-avg").get("clip").asText());

        long spatial = params("spatial-stream", 4);
        long temporal = params("temporal-stream", L);
        assertEquals(spatial, byModel.get("spatial-stream").get("params").asLong());
        assertEquals(temporal, byModel.get("temporal-stream").get("params").asLong());
        assertEquals(spatial + temporal, byModel.get("two-stream-avg").get("params").asLong());
        assertEquals(params("two-stream-linear", L), byModel.get("two-stream-linear").get("params").asLong());
        for (String fused : List.of("two-stream-avg", "two-stream-linear")) {
            JsonNode r = byModel.get(fused);
            assertTrue(r.get("trainClipsPerSecond").isNull(), "fusions are not trained: " + r);
            assertEquals(4, r.get("testVideos").asInt());
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(fused).resolve("checkpoint.ckpt")));
        }
        assertTrue(byModel.get("temporal-stream").get("trainClipsPerSecond").asDouble() > 0);
        String markdown = Files.readString(out.resolve("compare.md"));
        assertTrue(markdown.contains("| two-stream-linear | " + L + "x32x32 rgb+flow |"), markdown);
        assertTrue(compare.out().contains("fitted the linear fusion on 2 clips of each training video"), compare.out());
    }

    private static long params(String model, int frames) {
        return ModelRegistry.create(model, ModelConfig.builder().setNumClasses(2).optFrames(frames).optSize(32).build())
                .parameterCount();
    }

    @Test
    void fusedRunsEvaluateAndClassifyFromTheirDirectories() throws Exception {
        assertEquals(0, compare.exitCode(), compare.err());
        JsonNode rows = Json.MAPPER.readTree(Files.readString(out.resolve("compare.json")));
        Path linear = out.resolve("runs/two-stream-linear");
        CliRun eval = CliRun.of("eval", "--run", linear.toString(), "--split", "test", "--clips", "2", "--workers", "1",
                "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode r = Json.MAPPER.readTree(eval.out());
        assertEquals(4, r.get("videos").asInt());
        assertEquals(rows.get(3).get("videoTop1").asDouble(), r.get("video_top1").asDouble(), 1e-12,
                "the same evaluation as in the table");

        Path video = data.resolve("test/left/test_00.mp4");
        CliRun c = CliRun.of("classify", video.toString(), "--run", out.resolve("runs/two-stream-avg").toString(),
                "--clips", "3", "--json");
        assertEquals(0, c.exitCode(), c.err());
        JsonNode v = Json.MAPPER.readTree(c.out());
        assertEquals(2, v.get("top5").size());
        assertEquals(1.0, v.get("top5").get(0).get("probability").asDouble()
                + v.get("top5").get(1).get("probability").asDouble(), 1e-5);
        assertEquals(3, v.get("clips").size());
    }

    @Test
    void jointTrainingOfTheTwoStreamModelRecordsItsFlowInput() throws Exception {
        Path run = tmp.resolve("joint");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", "two-stream", "--out", run.toString(),
                "--size", "32", "--flow-length", String.valueOf(L), "--flow-method", "farneback", "--epochs", "1",
                "--val-clips", "1", "--no-flip", "--workers", "1");
        assertEquals(0, train.exitCode(), train.out() + train.err());
        JsonNode config = Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("data");
        assertEquals("RGB_FLOW", config.get("modality").asText());
        assertEquals(L, config.get("frames").asInt());
        assertEquals(1, config.get("stride").asInt());
        assertEquals("farneback", config.get("flow_method").asText());
    }

    @Test
    void theTemporalStreamTrainsAndEvaluatesFromAFlowCache() throws Exception {
        Path cache = tmp.resolve("flow");
        CliRun flow = CliRun.of("flow", data.toString(), "--method", "farneback", "--size", "24", "--out",
                cache.toString(), "--workers", "1");
        assertEquals(0, flow.exitCode(), flow.err());
        Path run = tmp.resolve("temporal-cached");
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", "temporal-stream", "--out",
                run.toString(), "--size", "32", "--flow-length", String.valueOf(L), "--flow-dir", cache.toString(),
                "--epochs", "1", "--val-clips", "1", "--no-flip", "--workers", "1");
        assertEquals(0, train.exitCode(), train.out() + train.err());
        JsonNode config = Json.MAPPER.readTree(run.resolve("config.json").toFile()).get("data");
        assertEquals("FLOW", config.get("modality").asText());
        assertEquals(cache.toString(), config.get("flow_dir").asText());
        assertEquals("farneback", config.get("flow_method").asText(), "the cache's method is recorded");
        assertEquals(24, config.get("flow_size").asInt());
        // 24-pixel flow is resampled to the 37-pixel decode size; evaluation reads the recorded cache.
        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--split", "test", "--clips", "2", "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        assertEquals(4, Json.MAPPER.readTree(eval.out()).get("videos").asInt());
    }

    @Test
    void aFlowModelWithoutFlowIsRefusedWithTheFix() {
        CliRun train = CliRun.of("train", "--data", data.toString(), "--model", "temporal-stream", "--out",
                tmp.resolve("noflow").toString(), "--size", "32", "--epochs", "1");
        assertEquals(2, train.exitCode());
        assertTrue(train.err().contains("takes optical flow") && train.err().contains("--flow-dir"), train.err());
        CliRun fuseFirst = CliRun.of("compare", "--data", data.toString(), "--models", "two-stream-avg", "--out",
                tmp.resolve("nostreams").toString(), "--flow-method", "farneback");
        assertEquals(2, fuseFirst.exitCode());
        assertTrue(fuseFirst.err().contains("put spatial-stream and temporal-stream before it"), fuseFirst.err());
    }
}

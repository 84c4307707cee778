package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void activityNetPrintsPerThresholdMapAndAverage() throws Exception {
        // ActivityNetMapTest's hand-derived case, through files (and the v_ prefix on one side).
        Path gt = Files.writeString(dir.resolve("gt.json"), """
                {"database": {"v_v1": {"duration": 70, "subset": "validation", "annotations": [
                    {"segment": [10, 20], "label": "A"}, {"segment": [30, 40], "label": "A"}, {"segment": [50, 60], "label": "B"}]},
                  "v_v2": {"duration": 20, "subset": "validation", "annotations": [{"segment": [0, 10], "label": "A"}]}}}
                """);
        Path pred = Files.writeString(dir.resolve("pred.json"), """
                {"results": {"v1": [{"label": "A", "score": 0.6, "segment": [30.2, 39.8]}, {"label": "A", "score": 0.9, "segment": [10, 20]},
                                    {"label": "A", "score": 0.8, "segment": [11, 21]}],
                             "v2": [{"label": "A", "score": 0.7, "segment": [0, 5]}],
                             "v3": [{"label": "A", "score": 0.5, "segment": [0, 5]}]}}
                """);
        CliRun r = CliRun.of("metrics", "activitynet", "--ground-truth", gt.toString(), "--predictions", pred.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(5.0 / 12, j.at("/map/0.50").asDouble(), 1e-6);
        assertEquals(0.25, j.at("/map/0.95").asDouble(), 1e-6);
        assertEquals((5.0 / 12 + 9 * 0.25) / 10, j.get("average_map").asDouble(), 1e-6);

        CliRun text = CliRun.of("metrics", "activitynet", "--ground-truth", gt.toString(), "--predictions", pred.toString());
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("tIoU 0.50  mAP 41.67%"), text.out());
        assertTrue(text.out().contains("average mAP (0.50:0.05:0.95) 26.67%"), text.out());
    }

    @Test
    void proposalsPrintsArAtAnAndAuc() throws Exception {
        Path gt = Files.writeString(dir.resolve("gt.json"), """
                {"database": {"a": {"annotations": [{"segment": [0, 1], "label": "x"}]}}}
                """);
        StringBuilder sb = new StringBuilder("{\"results\": {\"a\": [");
        for (int i = 0; i < 100; i++) {
            sb.append(i == 0 ? "" : ",").append("{\"score\": ").append(1.0 / (i + 1)).append(", \"segment\": [").append(i + 2).append(", ").append(i + 3).append("]}");
        }
        sb.append("]}}");
        Path props = Files.writeString(dir.resolve("props.json"), sb.toString());
        // No proposal overlaps [0, 1]: the recall stays 0.
        CliRun r = CliRun.of("metrics", "proposals", "--ground-truth", gt.toString(), "--proposals", props.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(0, j.at("/average_recall/AR@100").asDouble(), 0);
        Path hit = Files.writeString(dir.resolve("hit.json"), sb.toString().replace("\"segment\": [101, 102]", "\"segment\": [0, 1]"));
        // The last-ranked proposal (score 1/100) is exact: recalled only with all 100 proposals.
        j = JSON.readTree(CliRun.of("metrics", "proposals", "--ground-truth", gt.toString(), "--proposals", hit.toString(), "--json").out());
        assertEquals(0, j.at("/average_recall/AR@10").asDouble(), 0);
        assertEquals(1, j.at("/average_recall/AR@100").asDouble(), 0);
        assertEquals(0.5, j.get("auc").asDouble(), 1e-9, "(99 - 98) * (1 + 0) / 2 / 100, in percent");
    }

    @Test
    void avaPrintsFrameMapAndPerClassAp() throws Exception {
        Path labels = Files.writeString(dir.resolve("labels.pbtxt"), "item {\n  name: \"walk\"\n  id: 1\n}\nitem {\n  name: \"wave\"\n  id: 2\n}\n");
        Path gt = Files.writeString(dir.resolve("gt.csv"), "v,1,0.0,0.0,0.5,0.5,1,0\nv,1,0.5,0.5,1.0,1.0,2,1\nv,2,0.5,0.5,1.0,1.0,2,1\n");
        Path pred = Files.writeString(dir.resolve("pred.csv"),
                "v,1,0.0,0.0,0.5,0.5,1,0,0.9\nv,1,0.0,0.0,0.5,0.5,2,0,0.8\nv,1,0.5,0.5,1.0,1.0,2,1,0.7\nv,2,0.5,0.5,1.0,1.0,2,1,0.95\n");
        Path excl = Files.writeString(dir.resolve("excl.csv"), "v,0002\n");
        CliRun r = CliRun.of("metrics", "ava", "--ground-truth", gt.toString(), "--predictions", pred.toString(),
                "--label-map", labels.toString(), "--exclusions", excl.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        // walk: one TP -> 1. wave (keyframe 2 excluded): FP 0.8 then TP 0.7 -> precision 1/2 at recall 1 -> 0.5.
        assertEquals(1.0, j.at("/ap_by_class/walk").asDouble(), 1e-9);
        assertEquals(0.5, j.at("/ap_by_class/wave").asDouble(), 1e-9);
        assertEquals(0.75, j.get("map").asDouble(), 1e-9);
    }

    @Test
    void aBadLineIsOneErrorLineNamingFileAndLine() throws Exception {
        Path labels = Files.writeString(dir.resolve("labels.pbtxt"), "item {\n  name: \"walk\"\n  id: 1\n}\n");
        Path gt = Files.writeString(dir.resolve("gt.csv"), "v,1,0.0,0.0,0.5,0.5,1,0\n");
        Path pred = Files.writeString(dir.resolve("pred.csv"), "v,1,0.0,0.0,0.5,0.5,1,0,0.9\nv,1,0.0,0.0,0.5,0.5,1,0,high\n");
        CliRun r = CliRun.of("metrics", "ava", "--ground-truth", gt.toString(), "--predictions", pred.toString(), "--label-map", labels.toString());
        assertEquals(2, r.exitCode());
        assertEquals("kinema: " + pred + ":2: score 'high' is not a number", r.err().strip());
    }
}

package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kinema synth --untrimmed and --multi-actor, and their ground truth through kinema metrics. */
class SynthLocalisationCommandTest {
    @TempDir
    Path tmp;

    @Test
    void untrimmedGroundTruthScoresPerfectAgainstItself() throws Exception {
        Path out = tmp.resolve("u");
        CliRun r = CliRun.of("synth", "--untrimmed", "--out", out.toString(), "--videos", "3", "--seconds", "8:10",
                "--instance-seconds", "2:3", "--max-instances", "2", "--window-seconds", "1", "--size", "32", "--fps", "5",
                "--classes", "waving,clapping", "--workers", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(out.resolve("videos/untrimmed_0002.mp4")));
        assertTrue(Files.isDirectory(out.resolve("windows/train/background")));
        // The ground truth as predictions (score 1): every threshold's mAP is 1.
        JsonNode gt = new ObjectMapper().readTree(out.resolve("activitynet.json").toFile());
        StringBuilder results = new StringBuilder("{\"results\": {");
        String sep = "";
        for (var it = gt.get("database").fields(); it.hasNext(); ) {
            var e = it.next();
            results.append(sep).append('"').append(e.getKey()).append("\": [");
            String inner = "";
            for (JsonNode a : e.getValue().get("annotations")) {
                results.append(inner).append("{\"label\": \"").append(a.get("label").asText()).append("\", \"score\": 1, \"segment\": ")
                        .append(a.get("segment")).append('}');
                inner = ",";
            }
            results.append(']');
            sep = ",";
        }
        Path pred = Files.writeString(tmp.resolve("pred.json"), results.append("}}").toString());
        CliRun m = CliRun.of("metrics", "activitynet", "--ground-truth", out.resolve("activitynet.json").toString(), "--predictions",
                pred.toString(), "--json");
        assertEquals(0, m.exitCode(), m.err());
        assertEquals(1.0, new ObjectMapper().readTree(m.out()).get("average_map").asDouble(), 1e-9);
        CliRun thumos = CliRun.of("metrics", "activitynet", "--ground-truth", out.resolve("thumos").toString(), "--predictions",
                pred.toString(), "--json");
        assertEquals(0, thumos.exitCode(), thumos.err());
        assertTrue(new ObjectMapper().readTree(thumos.out()).at("/map/0.50").asDouble() > 0.99, "THUMOS lists round to 0.1 s");
    }

    @Test
    void multiActorWritesAvaFiles() throws Exception {
        Path out = tmp.resolve("m");
        CliRun r = CliRun.of("synth", "--multi-actor", "--out", out.toString(), "--videos", "2", "--seconds", "3", "--size", "48x32",
                "--fps", "5", "--classes", "waving,clapping", "--workers", "2");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(out.resolve("label_map.pbtxt")).contains("name: \"clapping\""));
        assertTrue(Files.readAllLines(out.resolve("ava_train.csv")).size() >= 4, "2+ actors on keyframes 1 and 2");
        assertEquals(2, CliRun.of("synth", "--multi-actor", "--untrimmed", "--out", tmp.resolve("x").toString()).exitCode());
    }
}

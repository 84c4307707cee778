package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionMetricsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void synthCaptionsThenScoreTheReferencesAgainstThemselves(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("motion");
        CliRun synth = CliRun.of("synth", "--out", out.toString(), "--videos-per-class", "3", "--size", "32", "--fps", "8",
                "--seconds", "1", "--classes", "slide_right,pendulum", "--workers", "1", "--captions");
        assertEquals(0, synth.exitCode(), synth.err());
        assertTrue(synth.out().contains("wrote 24 captions and 45 questions of 6 videos"), synth.out());
        JsonNode captions = JSON.readTree(out.resolve("captions.json").toFile());
        // Predict each video's first reference: BLEU-4 1, CIDEr-D high but below 10 (the other paraphrases differ).
        var preds = JSON.createArrayNode();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode s : captions.get("sentences")) {
            if (seen.add(s.get("video_id").asText())) {
                preds.addObject().put("video_id", s.get("video_id").asText()).put("caption", s.get("caption").asText());
            }
        }
        Path pred = dir.resolve("pred.json");
        JSON.writeValue(pred.toFile(), preds);
        CliRun r = CliRun.of("metrics", "captions", "--references", out.resolve("captions.json").toString(),
                "--predictions", pred.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode j = JSON.readTree(r.out());
        assertEquals(6, j.get("videos").asInt());
        assertEquals(1.0, j.get("bleu4").asDouble(), 1e-6);
        assertTrue(j.get("cider_d").asDouble() > 1 && j.get("cider_d").asDouble() < 10, r.out());

        // Answer every question "right": the direction questions of slide_right, and nothing else.
        var answers = JSON.createArrayNode();
        for (JsonNode q : JSON.readTree(out.resolve("qa.json").toFile())) {
            answers.addObject().put("id", q.get("id").asInt()).put("answer", "right");
        }
        Path qaPred = dir.resolve("answers.json");
        JSON.writeValue(qaPred.toFile(), answers);
        CliRun qa = CliRun.of("metrics", "captions", "--references", out.resolve("qa.json").toString(), "--predictions",
                qaPred.toString());
        assertEquals(0, qa.exitCode(), qa.err());
        assertTrue(qa.out().contains("direction        100.00% (9 of 9)"), qa.out());
        assertTrue(qa.out().contains("colour           0.00%"), qa.out());
    }

    @Test
    void aMissingVideoIsOneErrorLine(@TempDir Path dir) throws Exception {
        Path ref = Files.writeString(dir.resolve("ref.json"), "{\"sentences\": [{\"caption\": \"a b\", \"video_id\": \"v1\"}]}");
        Path pred = Files.writeString(dir.resolve("pred.json"), "[{\"video_id\": \"v2\", \"caption\": \"a b\"}]");
        CliRun r = CliRun.of("metrics", "captions", "--references", ref.toString(), "--predictions", pred.toString());
        assertTrue(r.exitCode() != 0);
        assertTrue(r.err().contains("pred.json") && r.err().contains("v2"), r.err());
    }
}

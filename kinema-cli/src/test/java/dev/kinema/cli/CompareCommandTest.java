package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareCommandTest {
    @TempDir
    Path dir;

    @Test
    void tabulatesEachModelWithAccuracyByKindCostAndSpeed() throws Exception {
        Path data = dir.resolve("motion");
        CliRun synth = CliRun.of("synth", "--out", data.toString(), "--classes", "waving,slide_left,slide_right",
                "--videos-per-class", "7", "--size", "48", "--seconds", "1:1", "--seed", "3");
        assertEquals(0, synth.exitCode(), synth.err());
        Path out = dir.resolve("compare");
        CliRun run = CliRun.of("compare", "--data", data.toString(), "--models", "tiny-3d,late-fusion-pool",
                "--epochs", "1", "--frames", "4", "--size", "32", "--clips", "2", "--no-flip", "--out", out.toString());
        assertEquals(0, run.exitCode(), run.out() + run.err());

        JsonNode rows = Json.MAPPER.readTree(Files.readString(out.resolve("compare.json")));
        assertEquals(2, rows.size());
        JsonNode tiny = rows.get(0);
        assertEquals("tiny-3d", tiny.get("model").asText());
        assertEquals("4x32x32", tiny.get("clip").asText());
        long params = ModelRegistry.create("tiny-3d",
                ModelConfig.builder().setNumClasses(3).optFrames(4).optSize(32).build()).parameterCount();
        assertEquals(params, tiny.get("params").asLong());
        assertTrue(tiny.get("gmacsPerClip").asDouble() > 0);
        assertTrue(tiny.get("trainClipsPerSecond").asDouble() > 0 && tiny.get("inferenceClipsPerSecond").asDouble() > 0);
        // One appearance class (waving) and one motion pair: both columns are filled.
        assertTrue(tiny.get("appearanceTop1").isNumber() && tiny.get("motionTop1").isNumber(), tiny.toString());
        assertEquals(rows.get(1).get("testVideos").asInt(), tiny.get("testVideos").asInt());

        String markdown = Files.readString(out.resolve("compare.md"));
        assertTrue(markdown.startsWith("| model | clip | video top-1 | appearance classes | motion-only classes |"), markdown);
        assertTrue(markdown.contains("| late-fusion-pool | 4x32x32 |"), markdown);
    }
}

package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.models.language.VideoLanguageRun;
import dev.kinema.models.language.WordTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipe at a tiny size: the three stages run, the saved run reopens, and it captions from its own vocabulary. */
class TrainLanguageCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainsThreeStagesAndTheRunCaptions(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("motion");
        CliRun synth = CliRun.of("synth", "--out", data.toString(), "--videos-per-class", "3", "--size", "32", "--fps", "8",
                "--seconds", "1", "--classes", "slide_right,pendulum", "--workers", "1", "--captions");
        assertEquals(0, synth.exitCode(), synth.err());

        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train-language", "--data", data.toString(), "--model", "toy-3d", "--out", run.toString(),
                "--frames", "4", "--stride", "2", "--size", "32", "--steps", "12,2,4");
        assertEquals(0, train.exitCode(), train.err());
        for (String stage : new String[] {"text", "align", "fine-tune"}) {
            assertTrue(train.out().contains(stage + ": "), train.out());
        }
        Matcher text = Pattern.compile("text: 12 steps, loss ([0-9.]+) -> ([0-9.]+)").matcher(train.out());
        assertTrue(text.find(), train.out());
        assertTrue(Double.parseDouble(text.group(2)) < Double.parseDouble(text.group(1)), "text pretraining lowers the loss: " + text.group());

        VideoLanguageRun spec = VideoLanguageRun.read(run);
        assertEquals("toy-3d", spec.encoder());
        Set<String> words = new HashSet<>(spec.vocabulary());
        words.removeAll(WordTokenizer.SPECIAL);
        assertTrue(words.contains("pendulum") || words.contains("right"), words.toString());

        JsonNode predicted = JSON.readTree(run.resolve("predictions-test/captions.json").toFile());
        long testVideos = 0;
        for (JsonNode v : JSON.readTree(data.resolve("captions.json").toFile()).get("videos")) {
            testVideos += "test".equals(v.get("split").asText()) ? 1 : 0;
        }
        assertEquals(testVideos, predicted.size());
        assertTrue(Files.isRegularFile(run.resolve("predictions-test/answers.json")));

        Path video = data.resolve(firstTestPath(data));
        CliRun caption = CliRun.of("caption", video.toString(), "--run", run.toString(), "--json");
        assertEquals(0, caption.exitCode(), caption.err());
        String said = JSON.readTree(caption.out()).get("caption").asText();
        assertEquals(predicted.get(0).get("caption").asText(), said, "the command says what the recipe predicted");
        for (String w : WordTokenizer.split(said)) {
            assertTrue(words.contains(w), "'" + w + "' of '" + said + "' is in the trained vocabulary");
        }
        assertFalse(said.contains("<"), said);
    }

    private static String firstTestPath(Path data) throws Exception {
        for (JsonNode v : JSON.readTree(data.resolve("captions.json").toFile()).get("videos")) {
            if ("test".equals(v.get("split").asText())) {
                return v.get("path").asText();
            }
        }
        throw new AssertionError("no test video");
    }
}

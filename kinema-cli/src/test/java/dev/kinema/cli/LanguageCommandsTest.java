package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.eval.captions.VideoCaptioner;
import dev.kinema.models.language.TextGenerator;
import dev.kinema.models.language.VideoLanguageModel;
import dev.kinema.models.language.VideoLanguageRun;
import dev.kinema.models.language.WordTokenizer;
import dev.kinema.synth.ClipSpec;
import dev.kinema.synth.KinemaMotion;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three commands on a small untrained run: what they print is what the library generates. */
class LanguageCommandsTest {
    @Test
    void captionAskAndPromptPrintTheRunsGeneration(@TempDir Path dir) throws Exception {
        WordTokenizer tokens = WordTokenizer.fit(List.of("caption: question: answer: a red figure waves left right ?"));
        VideoLanguageRun spec = new VideoLanguageRun("toy-3d", 4, 4, 2, 32, 32, 2, 1, 32, 2, 32, tokens.vocabulary());
        Path run = dir.resolve("run");
        float[] saved;
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(3);
            VideoLanguageModel model = spec.build(manager);
            spec.save(run, model);
            saved = model.decoder().getParameters().valueAt(0).getArray().toFloatArray();
            assertArrayEquals(saved, VideoLanguageRun.load(run, manager).decoder().getParameters().valueAt(0).getArray().toFloatArray());
        }
        Path video = dir.resolve("waving.mp4");
        KinemaMotion.sample("waving", ClipSpec.ofSeconds(48, 48, 10, 1), 5).write(video, false);

        CliRun caption = CliRun.of("caption", video.toString(), "--run", run.toString(), "--max-tokens", "5", "--json");
        assertEquals(0, caption.exitCode(), caption.err());
        JsonNode j = new ObjectMapper().readTree(caption.out());
        String expected;
        try (VideoCaptioner captioner = VideoCaptioner.open(run)) {
            expected = captioner.caption(video, TextGenerator.Options.greedy(5));
        }
        assertEquals(expected, j.get("caption").asText());
        assertEquals(VideoCaptioner.CAPTION_PROMPT, j.get("prompt").asText());

        CliRun ask = CliRun.of("ask", video.toString(), "which way?", "--run", run.toString(), "--max-tokens", "3", "--beams", "2", "--json");
        assertEquals(0, ask.exitCode(), ask.err());
        assertTrue(new ObjectMapper().readTree(ask.out()).has("answer"), ask.out());

        CliRun prompt = CliRun.of("prompt", video.toString(), "--run", run.toString(), "--prompt", "a <video> figure", "--max-tokens", "2");
        assertEquals(0, prompt.exitCode(), prompt.err());
        CliRun noVideo = CliRun.of("prompt", video.toString(), "--run", run.toString(), "--prompt", "a figure");
        assertTrue(noVideo.exitCode() != 0);
        assertTrue(noVideo.err().contains("<video>"), noVideo.err());
        CliRun notARun = CliRun.of("caption", video.toString(), "--run", dir.toString());
        assertTrue(notARun.exitCode() != 0 && notARun.err().contains("not a video-language run"), notARun.err());
    }
}

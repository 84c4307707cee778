package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.synth.IndexCodedVideo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProbeCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOneJsonObjectPerFileWithTheDocumentedKeys() throws Exception {
        Path a = dir.resolve("a.mp4");
        Path b = dir.resolve("b.mp4");
        IndexCodedVideo.write(a, 30, 64, 48, 15);
        IndexCodedVideo.write(b, 10, 32, 32, 10);
        CliRun run = CliRun.of("probe", a.toString(), b.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.out());
        JsonNode first = Json.MAPPER.readTree(lines.get(0));
        for (String key : List.of("path", "container", "videoCodec", "width", "height", "rotation", "fps", "frames",
                "framesExact", "durationSeconds", "hasAudio", "audioCodec", "audioSampleRate", "audioChannels")) {
            assertTrue(first.has(key), "missing " + key + " in " + first);
        }
        assertEquals(a.toString(), first.get("path").asText());
        assertEquals(30, first.get("frames").asInt());
        assertEquals(64, first.get("width").asInt());
        assertEquals(15.0, first.get("fps").asDouble(), 1e-9);
        assertEquals(10, Json.MAPPER.readTree(lines.get(1)).get("frames").asInt());
    }

    @Test
    void badFilesAreNamedWithTheReasonAndTheExitCodeIsNonZero() throws Exception {
        Path good = dir.resolve("good.mp4");
        IndexCodedVideo.write(good, 5, 32, 32, 10);
        Path empty = Files.createFile(dir.resolve("empty.mp4"));
        CliRun run = CliRun.of("probe", good.toString(), empty.toString(), dir.resolve("missing.mkv").toString());
        assertEquals(2, run.exitCode());
        assertTrue(run.out().contains(good.toString()), run.out());
        assertTrue(run.err().contains(empty + ": file is empty"), run.err());
        assertTrue(run.err().contains("missing.mkv: no such file"), run.err());
    }

    @Test
    void verifyingDecodesEveryFrameAndCatchesDamageOnlyTheDecoderSees() {
        String corrupted = dev.kinema.testing.SharedData.file("corrupted.mp4").toString();
        CliRun verified = CliRun.of("probe", corrupted);
        assertEquals(2, verified.exitCode());
        assertTrue(verified.err().contains(corrupted + ": the video data is damaged"), verified.err());
        CliRun quick = CliRun.of("probe", "--no-verify", corrupted);
        assertEquals(0, quick.exitCode(), quick.err());
    }
}

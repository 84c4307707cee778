package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.audio.WavFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** synth --sounding-objects, train --task mix-and-separate, separate: files, metrics and clear errors. */
class SeparateCommandTest {
    @TempDir
    Path dir;

    @Test
    void separatesTwoVideosWithATrainedRunAndRefusesBadInputByName() throws Exception {
        Path data = dir.resolve("data");
        CliRun synth = CliRun.of("synth", "--sounding-objects", "--out", data.toString(), "--videos-per-class", "4", "--size", "64",
                "--fps", "16", "--seconds", "1.5", "--classes", "violin,drum", "--workers", "2");
        assertEquals(0, synth.exitCode(), synth.err());
        assertTrue(synth.out().contains("wrote 8 sounding-object videos (violin, drum)"), synth.out());
        Path violin = data.resolve("test/violin/violin_0003.mp4");
        Path drum = data.resolve("test/drum/drum_0003.mp4");
        assertTrue(Files.isRegularFile(data.resolve("test/violin/violin_0003.wav")));

        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--task", "mix-and-separate", "--model", "sound-of-pixels", "--data", data.toString(),
                "--out", run.toString(), "--epochs", "1", "--batch", "2", "--val-clips", "1", "--workers", "1");
        assertEquals(0, train.exitCode(), train.err());

        Path out = dir.resolve("separated");
        CliRun separate = CliRun.of("separate", violin.toString(), drum.toString(), "--run", run.toString(), "--out", out.toString(),
                "--json");
        assertEquals(0, separate.exitCode(), separate.err());
        JsonNode o = new ObjectMapper().readTree(separate.out());
        for (String file : new String[] {"a.wav", "b.wav", "spectrogram.png"}) {
            assertTrue(Files.size(out.resolve(file)) > 1000, file);
        }
        for (String key : new String[] {"sdr", "sir", "sar", "nsdr"}) {
            assertEquals(2, o.get(key).size(), key);
            for (JsonNode v : o.get(key)) {
                assertTrue(Double.isFinite(v.asDouble()), key + " " + v);
            }
        }

        // a real mixture: separated, but nothing to score against
        Path mixture = WavFiles.write(dir.resolve("mix.wav"), new float[16000], 16000);
        CliRun real = CliRun.of("separate", violin.toString(), drum.toString(), "--run", run.toString(), "--out",
                dir.resolve("real").toString(), "--mixture", mixture.toString());
        assertEquals(0, real.exitCode(), real.err());
        assertTrue(!real.out().contains("SDR"), real.out());

        Path missing = dir.resolve("nope.mp4");
        CliRun bad = CliRun.of("separate", violin.toString(), missing.toString(), "--run", run.toString(), "--out", out.toString());
        assertTrue(bad.exitCode() != 0);
        assertTrue(bad.err().contains(missing.toString()) && bad.err().contains("no such file"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}

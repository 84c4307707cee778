package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import dev.kinema.synth.ClipSpec;
import dev.kinema.synth.KinemaMotion;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioCommandTest {
    @TempDir
    Path dir;

    @Test
    void melWritesTheSpectrogramAndItsPicture() throws Exception {
        Path video = dir.resolve("clap.mp4");
        KinemaMotion.sample("clapping", new ClipSpec(48, 40, 25, 50), 3).write(video, true); // 2 s with sound
        Path npy = dir.resolve("clap.npy");
        Path png = dir.resolve("clap.png");
        CliRun run = CliRun.of("audio", "mel", video.toString(), "--out", npy.toString(), "--png", png.toString(), "--mels", "40");
        assertEquals(0, run.exitCode(), run.err());
        FloatTensor mel = Npy.read(npy);
        // 2 s at hop 160 is 201 centred frames; AAC's priming and padding add a few.
        long frames = mel.shape()[1];
        assertTrue(mel.shape()[0] == 40 && frames >= 201 && frames <= 210, FloatTensor.dims(mel.shape()));
        assertTrue(run.out().contains("40 mels x " + frames + " frames"), run.out());
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : mel.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(hi - lo > 5, "the claps stand out of the noise floor in log-mel: " + lo + " to " + hi);
        assertTrue(Files.size(png) > 0);

        CliRun logFrequency = CliRun.of("audio", "mel", video.toString(), "--out", npy.toString(), "--log-frequency", "96");
        assertEquals(0, logFrequency.exitCode(), logFrequency.err());
        assertArrayEquals(new long[] {96, frames}, Npy.read(npy).shape());
    }

    @Test
    void aFileWithoutSoundIsOneClearLine() throws Exception {
        Path silent = dir.resolve("silent.mp4");
        KinemaMotion.sample("waving", new ClipSpec(48, 40, 25, 10), 1).write(silent, false);
        CliRun run = CliRun.of("audio", "mel", silent.toString(), "--out", dir.resolve("x.npy").toString());
        assertTrue(run.exitCode() != 0);
        assertTrue(run.err().contains("silent.mp4") && run.err().contains("no audio stream"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}

package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.audio.Spectrogram;
import dev.kinema.audio.Stft;
import dev.kinema.video.AudioReader;
import dev.kinema.video.AudioTrack;
import dev.kinema.video.VideoReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sounding-object videos: motion and sound from the same notes, each object its own timbre, files on disk. */
class SoundingObjectsTest {
    private static final ClipSpec SPEC = ClipSpec.ofSeconds(64, 64, 16, 2.0);
    private static final int RATE = SoundingObjectVideo.SAMPLE_RATE;

    @Test
    void soundIsLoudWhileANotePlaysAndQuietBetween() {
        for (SoundingObject o : SoundingObject.values()) {
            SoundingObjectVideo v = new SoundingObjectVideo(o, SPEC, 3);
            float[] audio = v.audio();
            assertEquals(2 * RATE, audio.length);
            List<SoundingObject.Note> notes = v.notes();
            assertTrue(notes.size() >= 2, o + " plays " + notes.size() + " notes in 2 s");
            SoundingObject.Note first = notes.get(0);
            double during = rms(audio, first.start() + 0.01, first.start() + 0.06);
            double before = rms(audio, 0, Math.max(0.005, first.start() - 0.002));
            assertTrue(during > 10 * before, o + ": " + during + " while playing, " + before + " before");
        }
    }

    @Test
    void theViolinsPitchFollowsItsBowAndTheBowMoves() {
        SoundingObjectVideo v = new SoundingObjectVideo(SoundingObject.VIOLIN, SPEC, 11);
        Stft stft = Stft.builder().setNFft(2048).optHopLength(512).build();
        Spectrogram s = stft.power(v.audio(), 1);
        double hzPerBin = RATE / 2048.0;
        for (SoundingObject.Note n : v.notes()) {
            if (n.end() - n.start() < 0.2) {
                continue;
            }
            int frame = (int) Math.round((n.start() + n.end()) / 2 * RATE / 512);
            int peak = 1;
            for (int b = 1; b < s.bins(); b++) {
                if (s.get(b, frame) > s.get(peak, frame)) {
                    peak = b;
                }
            }
            assertEquals(220 * Math.pow(4, n.position()), n.pitch(), 1e-9, "pitch from the bow's height");
            assertEquals(n.pitch(), peak * hzPerBin, 2 * hzPerBin, "strongest partial at the note's fundamental");
        }
        SoundingObject.Note n = v.notes().get(0);
        byte[] a = new byte[64 * 64 * 3];
        byte[] b = new byte[64 * 64 * 3];
        v.renderFrame((int) Math.ceil(n.start() * 16), a);
        v.renderFrame((int) Math.floor(n.end() * 16) - 1, b);
        assertTrue(!Arrays.equals(a, b), "the bow moves while the note plays");
    }

    @Test
    void writerRendersVideosWithTheirSoloTrackBesideThem(@TempDir Path dir) throws Exception {
        SoundingObjectsWriter writer = new SoundingObjectsWriter(dir, 1, 5, 64, 64, 16, 1.0,
                List.of(SoundingObject.DRUM, SoundingObject.FLUTE), 2, false);
        List<SoundingObjectsWriter.Planned> videos = writer.write(done -> {});
        assertEquals(2, videos.size());
        assertEquals("drum\nflute\n", Files.readString(dir.resolve("labels.txt")));
        Path video = dir.resolve("train/flute/flute_0000.mp4");
        Path wav = SoundingObjectVideo.soloTrack(video);
        assertTrue(Files.isRegularFile(wav), wav + " written");
        try (VideoReader reader = VideoReader.open(video)) {
            assertEquals(16, reader.frameCount());
        }
        float[] solo = AudioReader.read(wav, RATE, true).samples()[0];
        AudioTrack aac = AudioReader.read(video, RATE, true);
        float[] expected = new SoundingObjectVideo(SoundingObject.FLUTE, ClipSpec.ofSeconds(64, 64, 16, 1.0), videos.get(1).seed()).audio();
        assertEquals(RATE, solo.length);
        for (int i = 0; i < solo.length; i++) {
            assertEquals(expected[i], solo[i], 2.0 / 32767, "WAV sample " /* 16-bit rounding, read back as s16 / 32768 */ + i);
        }
        // the AAC track is the same sound, up to the codec: strongly correlated once aligned
        assertTrue(aac.length() >= RATE * 0.95, "AAC track of " + aac.length() + " samples");
        assertTrue(bestCorrelation(solo, aac.samples()[0]) > 0.9);
    }

    private static double bestCorrelation(float[] a, float[] b) {
        double best = -1;
        for (int shift = -2048; shift <= 2048; shift += 1) {
            double ab = 0;
            double aa = 0;
            double bb = 0;
            for (int i = 0; i < a.length; i++) {
                int j = i + shift;
                if (j >= 0 && j < b.length) {
                    ab += a[i] * b[j];
                    aa += a[i] * a[i];
                    bb += b[j] * b[j];
                }
            }
            best = Math.max(best, ab / Math.sqrt(aa * bb + 1e-12));
        }
        return best;
    }

    private static double rms(float[] x, double from, double to) {
        int a = (int) (from * RATE);
        int b = (int) (to * RATE);
        double sum = 0;
        for (int i = a; i < b; i++) {
            sum += x[i] * x[i];
        }
        return Math.sqrt(sum / Math.max(1, b - a));
    }
}

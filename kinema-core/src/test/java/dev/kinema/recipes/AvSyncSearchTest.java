package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.ShiftedAudio;
import dev.kinema.synth.DelayedSound;
import dev.kinema.synth.SoundingObjects;
import dev.kinema.video.AudioTrack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The offset search of {@code kinema av-sync} on a video whose sound was delayed by a known
 * offset, with a deterministic scorer in place of a trained run: the sound's energy just after the
 * sounding disc's bounces as the frames show them (from its boxes). Only the right offset lines the
 * rings up with the bounces, so the search must find it through the real file, decoder and cuts.
 */
class AvSyncSearchTest {
    private static final double DELAY = 0.6;

    @TempDir
    Path dir;

    @Test
    void findsTheDelayOfASoundTrackShiftedByAKnownOffset() throws Exception {
        List<Path> videos = SoundingObjects.write(new SoundingObjects.Options(dir.resolve("data"), 1, 3, 48, 25, 6));
        Path original = videos.get(0);
        double[] bounces = bounceTimes(SoundingObjects.readBoxes(SoundingObjects.boxesOf(dir.resolve("data"), original)), 25);
        Path delayed = dir.resolve("delayed.mp4");
        DelayedSound.write(original, delayed, DELAY);

        ModelInput input = new ModelInput(8, 4, null, 32, 32, Modality.RGB_AUDIO);
        List<Clip> clips = input.decoder(input.sampler().mode("uniform").test(true).clips(10).build(), null).decode(VideoSample.ofFile(delayed, -1, null, "test"), new SplittableRandom(0));
        AudioTrack track = ShiftedAudio.trackOf(delayed, 16_000);
        double[] grid = AvSync.grid(1.5, 0.1);
        AvSync.Result r = AvSync.search(delayed, clips, track, grid, pairs -> {
            float[] scores = new float[pairs.size()];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = ringsAfterBounces(pairs.get(i), bounces);
            }
            return scores;
        });
        assertEquals(DELAY, r.offsetSeconds(), 0.1 + 1e-9, "estimated " + r.offsetSeconds() + ", curve " + Arrays.toString(r.scores()));
        assertEquals(grid.length, r.scores().length);
        assertEquals(r.offsetSeconds(), r.offsets()[argmax(r.scores())]);
    }

    @Test
    void theGridIsSymmetricWithZeroAndRefusesBadSteps() {
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, AvSync.grid(1, 0.5));
        assertEquals(41, AvSync.grid(2, 0.1).length);
        assertThrows(IllegalArgumentException.class, () -> AvSync.grid(1, 0));
        assertThrows(IllegalArgumentException.class, () -> AvSync.grid(1, 2));
    }

    private static int argmax(double[] v) {
        return IntStream.range(0, v.length).reduce((a, b) -> v[b] > v[a] ? b : a).orElseThrow();
    }

    /** Mean energy of the clip's sound in the 60 ms after each bounce it shows, over its mean energy. */
    private static float ringsAfterBounces(Clip clip, double[] bounces) {
        float[] s = clip.audio().samples()[0];
        int rate = clip.audio().sampleRate();
        double all = 0;
        for (float v : s) {
            all += v * v;
        }
        all /= Math.max(1, s.length);
        double sum = 0;
        int n = 0;
        for (double b : bounces) {
            int from = (int) Math.round((b - clip.source().startSeconds()) * rate);
            int to = from + (int) (0.06 * rate);
            if (from >= 0 && to <= s.length) {
                double e = 0;
                for (int i = from; i < to; i++) {
                    e += s[i] * s[i];
                }
                sum += e / (to - from);
                n++;
            }
        }
        return n == 0 ? 0f : (float) (sum / n / (all + 1e-12));
    }

    /** When the sounding disc turns (its centre's velocity flips sign on an axis), in seconds. */
    private static double[] bounceTimes(List<SoundingObjects.FrameBoxes> boxes, double fps) {
        List<Double> out = new ArrayList<>();
        for (int f = 1; f + 1 < boxes.size(); f++) {
            double[] a = centre(boxes.get(f - 1).sounding());
            double[] b = centre(boxes.get(f).sounding());
            double[] c = centre(boxes.get(f + 1).sounding());
            for (int k = 0; k < 2; k++) {
                if (Math.signum(b[k] - a[k]) != Math.signum(c[k] - b[k])) {
                    out.add((f + 0.5) / fps);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] centre(SoundingObjects.Box b) {
        return new double[] {(b.x1() + b.x2()) / 2, (b.y1() + b.y2()) / 2};
    }
}

package dev.kinema.data.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.datasets.VideoSample;
import dev.kinema.video.AudioTrack;
import dev.kinema.video.VideoFrames;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShiftedAudioTest {
    private static final int RATE = 100;

    /** A 10 s track whose sample i holds i, so a cut says where it came from. */
    private static AudioTrack ramp() {
        float[] s = new float[10 * RATE];
        for (int i = 0; i < s.length; i++) {
            s[i] = i;
        }
        return new AudioTrack(new float[][] {s}, RATE);
    }

    private static Clip clip(double start, double end) {
        VideoSample sample = VideoSample.ofFile(Path.of("v.mp4"), 0, "x", "train");
        return Clip.of(new VideoFrames(new byte[3], 1, 1, 1), null, new Clip.Source(sample, 0, new int[] {0}, start, end, 10));
    }

    @Test
    void theShiftedClipCarriesTheSoundOfItsSpanMovedAndRecordsBothSpans() {
        Clip c = ShiftedAudio.shift(clip(2, 3), ramp(), 1.5);
        float[] sound = c.audio().samples()[0];
        assertEquals(RATE, sound.length);
        assertEquals(350f, sound[0]);
        assertEquals(449f, sound[RATE - 1]);
        assertEquals(1.5, ShiftedAudio.shiftOf(c.segments()), 1e-9);
        assertEquals(0, ShiftedAudio.shiftOf(ShiftedAudio.shift(clip(2, 3), ramp(), 0).segments()), 1e-9);
        assertEquals(200f, ShiftedAudio.shift(clip(2, 3), ramp(), 0).audio().samples()[0][0]);
        // out of the track either way
        assertNull(ShiftedAudio.shift(clip(2, 3), ramp(), -2.5));
        assertNull(ShiftedAudio.shift(clip(8, 9), ramp(), 1.6));
        // a twentieth outside: the part inside, the rest left to the packing's silence; more than a tenth is refused
        assertEquals(95, ShiftedAudio.shift(clip(8, 9), ramp(), 1.05).audio().length());
        assertNull(ShiftedAudio.shift(clip(8, 9), ramp(), 1.15));
        assertNull(ShiftedAudio.shift(clip(8, 9), ramp(), 1.4));
        assertThrows(IllegalArgumentException.class, () -> ShiftedAudio.shiftOf(List.of()));
    }

    @Test
    void drawnShiftsAreWithinTheRangeAndTheTrackOnBothSides() {
        AudioTrack track = ramp();
        Clip.Source middle = clip(4, 5).source();
        double earliest = 0;
        double latest = 0;
        for (int i = 0; i <= 100; i++) {
            double s = ShiftedAudio.drawShift(middle, track, 0.5, 2, i / 100.0);
            assertTrue(Math.abs(s) >= 0.5 - 1e-9 && Math.abs(s) <= 2 + 1e-9, "shift " + s);
            assertTrue(ShiftedAudio.fits(middle, track, s));
            earliest = Math.min(earliest, s);
            latest = Math.max(latest, s);
        }
        // u in [0, 1) covers later shifts first, then earlier ones: both ends are reached (to the grid of u)
        assertEquals(-2, earliest, 1e-9);
        assertEquals(2, latest, 0.05);
        // near the start only later sounds fit; a clip as long as the track has none
        Clip.Source first = clip(0.2, 1.2).source();
        for (int i = 0; i < 100; i++) {
            assertTrue(ShiftedAudio.drawShift(first, track, 0.5, 2, i / 100.0) >= 0.5);
        }
        assertEquals(0, ShiftedAudio.drawShift(clip(0, 10).source(), track, 0.5, 2, 0.3));
        assertThrows(IllegalArgumentException.class, () -> ShiftedAudio.random(0, 1));
    }
}

package dev.kinema.data.sampling;

import static dev.kinema.data.sampling.SamplingAssertions.assertFrames;
import static dev.kinema.data.sampling.SamplingAssertions.firstFrames;
import static dev.kinema.data.sampling.SamplingAssertions.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples from MMAction2 1.x DenseSampleFrames' formulas. */
class DenseSamplerTest {
    private static final FrameStride S2 = FrameStride.ofFrames(2);

    @Test
    void testModeTenPositions() {
        // N=100, sample_range=64, num_clips=2, clip_len=4, interval=2, num_sample_positions=10:
        // sample_position = max(1, 1 + 100 - 64) = 37; clip spacing = 64 // 2 = 32
        // window starts = np.linspace(0, 36, 10, dtype=int) = 0, 4, 8, ..., 36; clips at start and start+32
        List<SampledClip> clips = new DenseSampler(4, S2, 2, 64, 10, true).sample(new VideoTimeline(100, 30), null);
        assertEquals(20, clips.size());
        int[] expectedStarts = new int[20];
        for (int w = 0; w < 10; w++) {
            expectedStarts[2 * w] = 4 * w;
            expectedStarts[2 * w + 1] = 4 * w + 32;
        }
        assertArrayEquals(expectedStarts, firstFrames(clips));
        assertArrayEquals(new int[] {68, 70, 72, 74}, clips.get(19).frameIndices());
    }

    @Test
    void testModeTruncatesLinspace() {
        // 8 positions: linspace(0, 36, 8) = 0, 5.14, 10.29, 15.43, 20.57, 25.71, 30.86, 36 -> 0, 5, 10, 15, 20, 25, 30, 36
        List<SampledClip> clips = new DenseSampler(4, S2, 1, 64, 8, true).sample(new VideoTimeline(100, 30), null);
        assertArrayEquals(new int[] {0, 5, 10, 15, 20, 25, 30, 36}, firstFrames(clips));
    }

    @Test
    void trainModeStartNeverTakesTheLastPosition() {
        // sample_position = 37 -> start = np.random.randint(0, 36): 0..35, never 36
        DenseSampler s = new DenseSampler(4, S2, 2, 64, 10, false);
        VideoTimeline v = new VideoTimeline(100, 30);
        assertEquals(s.sample(v, 5L), s.sample(v, 5L));
        int min = Integer.MAX_VALUE;
        int max = -1;
        for (long seed = 0; seed < 3000; seed++) {
            List<SampledClip> clips = s.sample(v, seed);
            assertEquals(2, clips.size());
            int w = clips.get(0).frameAt(0);
            assertArrayEquals(range(w, 4, 2), clips.get(0).frameIndices());
            assertArrayEquals(range(w + 32, 4, 2), clips.get(1).frameIndices());
            min = Math.min(min, w);
            max = Math.max(max, w);
        }
        assertEquals(0, min);
        assertEquals(35, max);
    }

    @Test
    void shortVideoStartsAtZeroAndLoops() {
        // N=40 < 64: sample_position = max(1, 1 + 40 - 64) = 1 -> start 0 in both modes; clips at 0 and 32
        // the second 8-frame clip 32, 34, ..., 46 loops mod 40: 32, 34, 36, 38, 0, 2, 4, 6
        int[] first = range(0, 8, 2);
        int[] second = {32, 34, 36, 38, 0, 2, 4, 6};
        assertFrames(new DenseSampler(8, S2, 2, 64, 10, false).sample(new VideoTimeline(40, 30), 11L), first, second);
        // test mode: linspace(0, 0, 3) = [0, 0, 0] -> the same two clips three times
        assertFrames(new DenseSampler(8, S2, 2, 64, 3, true).sample(new VideoTimeline(40, 30), null),
                first, second, first, second, first, second);
    }

    @Test
    void oneFrameVideo() {
        assertFrames(new DenseSampler(4, S2, 1, 64, 1, true).sample(new VideoTimeline(1, 30), null), new int[4]);
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DenseSampler(4, S2, 1, 0, 10, true));
        assertTrue(e.getMessage().contains("sampleRange must be >= 1 (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DenseSampler(4, S2, 1, 64, 0, true));
        assertTrue(e.getMessage().contains("samplePositions must be >= 1"), e.getMessage());
    }
}

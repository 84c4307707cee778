package dev.kinema.data.sampling;

import static dev.kinema.data.sampling.SamplingAssertions.assertFrames;
import static dev.kinema.data.sampling.SamplingAssertions.firstFrames;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TSN segment sampling as MMAction2 1.x SampleFrames(clip_len=1, num_clips=N). */
class TsnSegmentSamplerTest {
    private static final FrameStride S1 = FrameStride.ofFrames(1);

    @Test
    void testModeTakesSegmentCentres() {
        // avg = 100/8 = 12.5; centre of segment i = int(i*12.5 + 6.25): 6.25, 18.75, 31.25, ... -> 6, 18, 31, 43, 56, 68, 81, 93
        List<SampledClip> clips = new TsnSegmentSampler(8, 1, S1, true, false).sample(new VideoTimeline(100, 25), null);
        assertArrayEquals(new int[] {6, 18, 31, 43, 56, 68, 81, 93}, firstFrames(clips));
        // a one-frame snippet spans one frame: frame 6 at 25 fps = [0.24 s, 0.28 s)
        assertEquals(0.24, clips.get(0).startSeconds(), 1e-12);
        assertEquals(0.28, clips.get(0).endSeconds(), 1e-12);
    }

    @Test
    void testModeTwiceSample() {
        // twice_sample (TSM): centres, then segment starts int(i*12.5) = 0, 12, 25, 37, 50, 62, 75, 87
        List<SampledClip> clips = new TsnSegmentSampler(8, 1, S1, true, true).sample(new VideoTimeline(100, 25), null);
        assertArrayEquals(new int[] {6, 18, 31, 43, 56, 68, 81, 93, 0, 12, 25, 37, 50, 62, 75, 87}, firstFrames(clips));
    }

    @Test
    void equalsSampleFramesWithClipLenOne() {
        VideoTimeline v = new VideoTimeline(257, 30);
        for (boolean test : new boolean[] {false, true}) {
            for (long seed = 0; seed < 20; seed++) {
                assertEquals(new SampleFramesSampler(1, S1, 8, test, false).sample(v, seed),
                        new TsnSegmentSampler(8, 1, S1, test, false).sample(v, seed));
            }
        }
    }

    @Test
    void trainModePicksOneFrameInEachSegment() {
        // ori = 1, avg = (100 - 1 + 1)//8 = 12: segment i draws from [12i, 12i + 12)
        TsnSegmentSampler s = new TsnSegmentSampler(8, 1, S1, false, false);
        VideoTimeline v = new VideoTimeline(100, 25);
        assertEquals(s.sample(v, 3L), s.sample(v, 3L));
        int[] lo = new int[8];
        int[] hi = new int[8];
        java.util.Arrays.fill(lo, Integer.MAX_VALUE);
        for (long seed = 0; seed < 2000; seed++) {
            int[] f = firstFrames(s.sample(v, seed));
            for (int i = 0; i < 8; i++) {
                lo[i] = Math.min(lo[i], f[i]);
                hi[i] = Math.max(hi[i], f[i]);
            }
        }
        for (int i = 0; i < 8; i++) {
            assertEquals(12 * i, lo[i], "segment " + i + " low end");
            assertEquals(12 * i + 11, hi[i], "segment " + i + " high end");
        }
    }

    @Test
    void moreSegmentsThanFrames() {
        // N=3, 8 segments. Train: avg = 3//8 = 0; N=3 is not > max(8, 1); ratio = 3/8 = 0.375:
        // np.around(i*0.375) = around(0, .375, .75, 1.125, 1.5, 1.875, 2.25, 2.625) = 0, 0, 1, 1, 2, 2, 2, 3
        // (1.5 -> 2 half to even); loop mod 3 -> 0, 0, 1, 1, 2, 2, 2, 0
        assertArrayEquals(new int[] {0, 0, 1, 1, 2, 2, 2, 0},
                firstFrames(new TsnSegmentSampler(8, 1, S1, false, false).sample(new VideoTimeline(3, 30), 1L)));
        // Test: avg = 0.375; int(i*0.375 + 0.1875) = int(.19, .56, .94, 1.31, 1.69, 2.06, 2.44, 2.81) = 0,0,0,1,1,2,2,2
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 2},
                firstFrames(new TsnSegmentSampler(8, 1, S1, true, false).sample(new VideoTimeline(3, 30), null)));
    }

    @Test
    void multiFrameSnippetsStartAtSegmentCentresInTestMode() {
        // 5-frame snippets (e.g. flow stacks), 3 segments of N=90: avg = 30, centres int(i*30 + 15) = 15, 45, 75
        assertFrames(new TsnSegmentSampler(3, 5, S1, true, false).sample(new VideoTimeline(90, 30), null),
                new int[] {15, 16, 17, 18, 19}, new int[] {45, 46, 47, 48, 49}, new int[] {75, 76, 77, 78, 79});
        // the last snippet of a short video loops: N=10, 2 segments, snippet 4: centres int(2.5)=2, int(7.5)=7 -> 7,8,9,0
        assertFrames(new TsnSegmentSampler(2, 4, S1, true, false).sample(new VideoTimeline(10, 30), null),
                new int[] {2, 3, 4, 5}, new int[] {7, 8, 9, 0});
    }

    @Test
    void oneFrameVideo() {
        assertFrames(new TsnSegmentSampler(3, 1, S1, false, false).sample(new VideoTimeline(1, 30), 9L),
                new int[1], new int[1], new int[1]);
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new TsnSegmentSampler(0, 1, S1, true, false));
        assertTrue(e.getMessage().contains("segments must be >= 1 (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TsnSegmentSampler(8, -1, S1, true, false));
        assertTrue(e.getMessage().contains("snippetLen must be >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TsnSegmentSampler(8, 1, S1, false, true));
    }
}

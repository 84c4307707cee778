package dev.kinema.data.sampling;

import static dev.kinema.data.sampling.SamplingAssertions.assertFrames;
import static dev.kinema.data.sampling.SamplingAssertions.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Worked examples from PyTorchVideo 0.1.x UniformClipSampler, ConstantClipsPerVideoSampler and RandomClipSampler. */
class WindowSamplersTest {
    private static final FrameStride S1 = FrameStride.ofFrames(1);

    @Test
    void uniformClipSamplerDocExampleWithoutBackpad() {
        // PyTorchVideo's docstring: 39 frames at 30 fps (1.3 s), clip 32 frames (32/30 s), stride 16 frames (16/30 s).
        // Window 0 = [0, 32/30); the next, [16/30, 48/30), would end past 1.3 s, so window 0 is the last: one clip.
        // Frames shown in [0, 1.0667 s): i/30 < 32/30 -> 0..31
        List<SampledClip> clips = new SlidingWindowSampler(32, S1, 32 / 30.0, 16 / 30.0, false)
                .sample(new VideoTimeline(39, 30), null);
        assertFrames(clips, range(0, 32, 1));
        assertEquals(0.0, clips.get(0).startSeconds());
        assertEquals(32 / 30.0, clips.get(0).endSeconds(), 1e-12);
    }

    @Test
    void uniformClipSamplerDocExampleWithBackpad() {
        // backpad_last: window 1 = [16/30, 48/30) ends 0.3 s past the end, so it moves back by 0.3 s to
        // [7/30, 39/30) = frames 7..38 (the docstring writes [8, 40] as for a 40-frame video); the window after
        // that is pulled back to the same end, so sampling stops: two clips.
        List<SampledClip> clips = new SlidingWindowSampler(32, S1, 32 / 30.0, 16 / 30.0, true)
                .sample(new VideoTimeline(39, 30), null);
        assertFrames(clips, range(0, 32, 1), range(7, 32, 1));
        assertEquals(7 / 30.0, clips.get(1).startSeconds(), 1e-9);
        assertEquals(1.3, clips.get(1).endSeconds(), 1e-9);
    }

    @Test
    void slidingWindowsOverTenSeconds() {
        // 300 frames at 30 fps = 10 s; window 2 s, hop 1 s: [0,2), [1,3), ..., [8,10); [9,11) ends past 10 s -> 9 windows.
        // Each window holds 60 frames, subsampled to 4: linspace(0, 59, 4) = 0, 19.67, 39.33, 59 -> +0, +19, +39, +59
        VideoTimeline v = new VideoTimeline(300, 30);
        List<SampledClip> clips = new SlidingWindowSampler(4, S1, 2.0, 1.0, false).sample(v, null);
        assertEquals(9, clips.size());
        for (int k = 0; k < 9; k++) {
            int f = 30 * k;
            assertArrayEquals(new int[] {f, f + 19, f + 39, f + 59}, clips.get(k).frameIndices());
            assertEquals(k, clips.get(k).startSeconds(), 1e-9);
            assertEquals(k + 2, clips.get(k).endSeconds(), 1e-9);
        }
        // backpad changes nothing when the last window already ends at the end: [9,11) pulls back to [8,10), same end
        assertEquals(clips, new SlidingWindowSampler(4, S1, 2.0, 1.0, true).sample(v, null));
    }

    @Test
    void backpadAddsAnEndAlignedWindow() {
        // 315 frames at 30 fps = 10.5 s; window 2 s, hop 1 s.
        // Without backpad: [0,2) .. [8,10); [9,11) ends past 10.5 -> 9 windows, the last 0.5 s unseen.
        VideoTimeline v = new VideoTimeline(315, 30);
        assertEquals(9, new SlidingWindowSampler(4, S1, 2.0, 1.0, false).sample(v, null).size());
        // With backpad: [9,11) is pulled back by 0.5 s to [8.5, 10.5); the next is pulled back to the same -> stop.
        List<SampledClip> clips = new SlidingWindowSampler(4, S1, 2.0, 1.0, true).sample(v, null);
        assertEquals(10, clips.size());
        SampledClip last = clips.get(9);
        assertEquals(8.5, last.startSeconds(), 1e-9);
        assertEquals(10.5, last.endSeconds(), 1e-9);
        // frames with 8.5 <= i/30 < 10.5: 255..314 (60 frames) -> 255 + {0, 19, 39, 59}
        assertArrayEquals(new int[] {255, 274, 294, 314}, last.frameIndices());
    }

    @Test
    void slidingVideoShorterThanWindowGivesOneWindow() {
        // 20 frames at 10 fps = 2 s; window 5 s: window 0 [0, 5) is produced, all 20 frames subsampled to 4:
        // linspace(0, 19, 4) = 0, 6.33, 12.67, 19 -> 0, 6, 12, 19
        for (boolean backpad : new boolean[] {false, true}) {
            List<SampledClip> clips = new SlidingWindowSampler(4, S1, 5.0, 2.5, backpad).sample(new VideoTimeline(20, 10), null);
            assertFrames(clips, new int[] {0, 6, 12, 19});
            assertEquals(5.0, clips.get(0).endSeconds(), 1e-12);
        }
    }

    @Test
    void slidingDefaultsWindowToClipSpanAndHopToWindow() {
        // clip 8 frames, stride 2 at 30 fps: window = 8*2/30 s = 16 frames; hop = window. 64 frames -> 4 windows
        // each window: 16 frames subsampled to 8: linspace(0, 15, 8) = 0, 2.14, 4.29, 6.43, 8.57, 10.71, 12.86, 15
        List<SampledClip> clips = new SlidingWindowSampler(8, FrameStride.ofFrames(2), null, null, false)
                .sample(new VideoTimeline(64, 30), null);
        assertEquals(4, clips.size());
        assertArrayEquals(new int[] {16, 18, 20, 22, 24, 26, 28, 31}, clips.get(1).frameIndices());
    }

    @Test
    void constantClipsPerVideo() {
        // 10 s video (300 frames at 30 fps), window 2 s, 4 clips: room = 10 - 2 = 8, step = 8 / 4 = 2 (divided by K, not K-1)
        // starts 0, 2, 4, 6 -> the last window [6, 8) stops short of the end
        List<SampledClip> clips = new ConstantClipsSampler(4, S1, 2.0, 4).sample(new VideoTimeline(300, 30), null);
        assertEquals(4, clips.size());
        for (int i = 0; i < 4; i++) {
            assertEquals(2.0 * i, clips.get(i).startSeconds(), 1e-12);
            assertEquals(2.0 * i + 2, clips.get(i).endSeconds(), 1e-12);
            int f = 60 * i;
            assertArrayEquals(new int[] {f, f + 19, f + 39, f + 59}, clips.get(i).frameIndices());
        }
    }

    @Test
    void constantClipsOnVideoShorterThanWindow() {
        // 30 frames (1 s), window 2 s: room = max(1 - 2, 0) = 0 -> 3 identical windows [0, 2) holding frames 0..29;
        // subsampled to 4: linspace(0, 29, 4) = 0, 9.67, 19.33, 29 -> 0, 9, 19, 29
        int[] f = {0, 9, 19, 29};
        assertFrames(new ConstantClipsSampler(4, S1, 2.0, 3).sample(new VideoTimeline(30, 30), null), f, f, f);
    }

    @Test
    void randomWindowIsDeterministicPerSeedAndInRange() {
        // RandomClipSampler: start ~ U[0, max(10 - 2, 0)] for a 10 s video and 2 s window
        RandomWindowSampler s = new RandomWindowSampler(8, S1, 2.0, 1);
        VideoTimeline v = new VideoTimeline(300, 30);
        assertEquals(s.sample(v, 9L), s.sample(v, 9L));
        assertNotEquals(s.sample(v, 9L), s.sample(v, 10L));
        for (long seed = 0; seed < 500; seed++) {
            SampledClip c = s.sample(v, seed).get(0);
            assertTrue(c.startSeconds() >= 0 && c.startSeconds() <= 8, "start " + c.startSeconds());
            assertEquals(c.startSeconds() + 2, c.endSeconds(), 1e-12);
            int[] f = c.frameIndices();
            assertTrue(f[0] >= Math.round(c.startSeconds() * 30) - 1 && f[7] < 300, c.toString());
        }
        assertEquals(3, new RandomWindowSampler(8, S1, 2.0, 3).sample(v, 1L).size());
    }

    @Test
    void oneFrameVideo() {
        VideoTimeline one = new VideoTimeline(1, 30);
        assertFrames(new SlidingWindowSampler(4, S1, 1.0, 0.5, true).sample(one, null), new int[4]);
        assertFrames(new ConstantClipsSampler(4, S1, 1.0, 2).sample(one, null), new int[4], new int[4]);
        assertFrames(new RandomWindowSampler(4, S1, 1.0, 1).sample(one, 3L), new int[4]);
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SlidingWindowSampler(4, S1, 1.0, 2.0, false));
        assertTrue(e.getMessage().contains("must not exceed windowSeconds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SlidingWindowSampler(4, S1, 0.0, null, false));
        assertTrue(e.getMessage().contains("windowSeconds must be a finite number > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SlidingWindowSampler(4, S1, 1.0, -1.0, false));
        assertTrue(e.getMessage().contains("strideSeconds must be a finite number > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ConstantClipsSampler(4, S1, 1.0, 0));
        assertTrue(e.getMessage().contains("clipsPerVideo must be >= 1"), e.getMessage());
        // a derived window (8 frames = 0.267 s at 30 fps) shorter than the hop is refused when sampling
        e = assertThrows(IllegalArgumentException.class,
                () -> new SlidingWindowSampler(8, S1, null, 1.0, false).sample(new VideoTimeline(300, 30), null));
        assertTrue(e.getMessage().contains("must not exceed the window"), e.getMessage());
        // a tiny hop over a long video is refused rather than producing millions of windows
        e = assertThrows(IllegalArgumentException.class,
                () -> new SlidingWindowSampler(1, S1, 1.0, 1e-7, false).sample(new VideoTimeline(30_000, 30), null));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }
}

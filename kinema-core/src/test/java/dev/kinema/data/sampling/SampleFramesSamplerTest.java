package dev.kinema.data.sampling;

import static dev.kinema.data.sampling.SamplingAssertions.assertFrames;
import static dev.kinema.data.sampling.SamplingAssertions.firstFrames;
import static dev.kinema.data.sampling.SamplingAssertions.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Worked examples from MMAction2 1.x SampleFrames' formulas (loading.py, _get_train_clips/_get_test_clips). */
class SampleFramesSamplerTest {
    private static final FrameStride S1 = FrameStride.ofFrames(1);
    private static final FrameStride S2 = FrameStride.ofFrames(2);

    private static SampleFramesSampler test(int clipLen, FrameStride s, int clips) {
        return new SampleFramesSampler(clipLen, s, clips, true, false);
    }

    private static SampleFramesSampler train(int clipLen, FrameStride s, int clips) {
        return new SampleFramesSampler(clipLen, s, clips, false, false);
    }

    @Test
    void testModeThreeClips() {
        // N=100, clip_len=8, frame_interval=2, num_clips=3:
        // ori_clip_len = (8-1)*2+1 = 15; max_offset = 100-15 = 85; offset_between = 85/(3-1) = 42.5
        // offsets = np.round([0, 42.5, 85]) = [0, 42, 85]   (42.5 rounds half to even -> 42)
        // frames = offset + [0, 2, ..., 14]
        List<SampledClip> clips = test(8, S2, 3).sample(new VideoTimeline(100, 25), null);
        assertFrames(clips, range(0, 8, 2), range(42, 8, 2), range(85, 8, 2));
        // the last clip ends on the last frame: 85 + 14 = 99
        assertEquals(99, clips.get(2).frameAt(7));
        // times: offset 42 at 25 fps starts at 42/25 = 1.68 s; its span is 15 frames, so it ends at 57/25 = 2.28 s
        assertEquals(1.68, clips.get(1).startSeconds(), 1e-12);
        assertEquals(2.28, clips.get(1).endSeconds(), 1e-12);
    }

    @Test
    void testModeTenClipsKineticsStyle() {
        // N=300, clip_len=16, frame_interval=4, num_clips=10: ori = 15*4+1 = 61, max = 239, between = 239/9 = 26.556
        // offsets = round(i * 26.556) = [0, 27, 53, 80, 106, 133, 159, 186, 212, 239]
        List<SampledClip> clips = test(16, FrameStride.ofFrames(4), 10).sample(new VideoTimeline(300, 30), null);
        assertArrayEquals(new int[] {0, 27, 53, 80, 106, 133, 159, 186, 212, 239}, firstFrames(clips));
        assertEquals(299, clips.get(9).frameAt(15)); // 239 + 15*4
    }

    @Test
    void testModeOneClipIsCentred() {
        // N=100, clip_len=8, frame_interval=2, num_clips=1: max_offset = 85 -> offset = 85 // 2 = 42
        assertFrames(test(8, S2, 1).sample(new VideoTimeline(100, 25), null), range(42, 8, 2));
    }

    @Test
    void testModeSingleFrameClipsAreSegmentCentres() {
        // clip_len == 1 (2D branch): avg = 100/8 = 12.5; offsets = i*12.5 + 6.25 -> int -> 6, 18, 31, 43, 56, 68, 81, 93
        List<SampledClip> clips = test(1, S1, 8).sample(new VideoTimeline(100, 25), null);
        assertArrayEquals(new int[] {6, 18, 31, 43, 56, 68, 81, 93}, firstFrames(clips));
        // twice_sample appends the segment starts int(i*12.5) = 0, 12, 25, 37, 50, 62, 75, 87
        List<SampledClip> twice = new SampleFramesSampler(1, S1, 8, true, true).sample(new VideoTimeline(100, 25), null);
        assertArrayEquals(new int[] {6, 18, 31, 43, 56, 68, 81, 93, 0, 12, 25, 37, 50, 62, 75, 87}, firstFrames(twice));
    }

    @Test
    void twiceSampledMultiFrameClipsSpreadTwiceTheClips() {
        // MMAction2's test: 40 frames, clip_len=12, frame_interval=1, num_clips=2, twice_sample -> 48 indices.
        // 2K = 4 clips over max_offset = 40 - 12 = 28: round(i * 28/3) = 0, 9, 19, 28; every clip inside the video.
        List<SampledClip> clips = new SampleFramesSampler(12, S1, 2, true, true).sample(new VideoTimeline(40, 25), null);
        assertFrames(clips, range(0, 12, 1), range(9, 12, 1), range(19, 12, 1), range(28, 12, 1));
        assertEquals(48, clips.stream().mapToInt(c -> c.frameIndices().length).sum());
    }

    @Test
    void testModeLoopsVideoShorterThanClip() {
        // N=5, clip_len=4, frame_interval=2: ori = 7 > 5 so max_offset = 0; frames [0, 2, 4, 6] mod 5 = [0, 2, 4, 1]
        assertFrames(test(4, S2, 1).sample(new VideoTimeline(5, 30), null), new int[] {0, 2, 4, 1});
        // N=3, clip_len=8, frame_interval=1: [0..7] mod 3 = [0, 1, 2, 0, 1, 2, 0, 1]
        assertFrames(test(8, S1, 1).sample(new VideoTimeline(3, 30), null), new int[] {0, 1, 2, 0, 1, 2, 0, 1});
    }

    @Test
    void trainModeIsDeterministicPerSeedAndInRange() {
        VideoTimeline v = new VideoTimeline(300, 30);
        SampleFramesSampler s = train(16, FrameStride.ofFrames(4), 1);
        assertEquals(s.sample(v, 42L), s.sample(v, 42L));
        Set<Integer> starts = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            starts.add(s.sample(v, seed).get(0).frameAt(0));
        }
        assertTrue(starts.size() > 1, "different seeds give different clips: " + starts);
        // ori_clip_len = 16*4 = 64; avg_interval = (300 - 64 + 1) // 1 = 237 -> offset in [0, 237)
        int min = Integer.MAX_VALUE;
        int max = Integer.MIN_VALUE;
        for (long seed = 0; seed < 5000; seed++) {
            int[] f = s.sample(v, seed).get(0).frameIndices();
            assertArrayEquals(range(f[0], 16, 4), f, "frames 4 apart, no wrap");
            min = Math.min(min, f[0]);
            max = Math.max(max, f[0]);
        }
        assertEquals(0, min);
        assertEquals(236, max);
    }

    @Test
    void trainModeSeveralClipsOnePerShare() {
        // N=100, clip_len=4, frame_interval=1, num_clips=4: ori = 4, avg = (100-4+1)//4 = 24
        // clip i starts in [24i, 24i + 24)
        SampleFramesSampler s = train(4, S1, 4);
        for (long seed = 0; seed < 200; seed++) {
            List<SampledClip> clips = s.sample(new VideoTimeline(100, 30), seed);
            assertEquals(4, clips.size());
            for (int i = 0; i < 4; i++) {
                int o = clips.get(i).frameAt(0);
                assertTrue(o >= 24 * i && o < 24 * i + 24, "clip " + i + " offset " + o);
                assertArrayEquals(range(o, 4, 1), clips.get(i).frameIndices());
            }
        }
    }

    @Test
    void trainModeFallbacksForShortVideos() {
        // N=10, clip_len=4, interval=2, num_clips=3: ori = 8, avg = (10-8+1)//3 = 1 -> offsets i*1 + randint(1) = [0, 1, 2]
        assertFrames(train(4, S2, 3).sample(new VideoTimeline(10, 30), 7L),
                new int[] {0, 2, 4, 6}, new int[] {1, 3, 5, 7}, new int[] {2, 4, 6, 8});
        // N=10, num_clips=4: avg = 3//4 = 0, and N=10 > max(4, 8): offsets = sorted(randint(3, size=4)), each in [0, 2]
        for (long seed = 0; seed < 50; seed++) {
            int[] o = firstFrames(train(4, S2, 4).sample(new VideoTimeline(10, 30), seed));
            for (int i = 0; i < 4; i++) {
                assertTrue(o[i] >= 0 && o[i] <= 2 && (i == 0 || o[i - 1] <= o[i]), "sorted offsets " + List.of(o));
            }
        }
        // N=8, num_clips=3: avg = 1//3 = 0, N=8 is not > max(3, 8): ratio = 1/3, offsets = np.around([0, .33, .67]) = [0, 0, 1]
        assertFrames(train(4, S2, 3).sample(new VideoTimeline(8, 30), 7L),
                new int[] {0, 2, 4, 6}, new int[] {0, 2, 4, 6}, new int[] {1, 3, 5, 7});
    }

    @Test
    void trainModeLoopsVideoShorterThanClip() {
        // N=5, clip_len=4, interval=2: ori = 8, avg = (5-8+1)//1 = -2, N=5 not > 8, avg != 0 -> offset 0
        // frames [0, 2, 4, 6] mod 5 = [0, 2, 4, 1]  ('loop')
        for (long seed = 0; seed < 5; seed++) {
            assertFrames(train(4, S2, 1).sample(new VideoTimeline(5, 30), seed), new int[] {0, 2, 4, 1});
        }
    }

    @Test
    void oneFrameVideo() {
        VideoTimeline one = new VideoTimeline(1, 30);
        assertFrames(train(8, S2, 1).sample(one, 1L), new int[8]);
        assertFrames(test(8, S2, 2).sample(one, null), new int[8], new int[8]);
        assertFrames(test(1, S1, 3).sample(one, null), new int[1], new int[1], new int[1]);
    }

    @Test
    void targetFpsResolvesStridePerVideo() {
        // 30 fps -> 5 fps: stride round(30/5) = 6; test mode N=300, clip_len=4: ori = 19, max = 281, centred: 140
        SampleFramesSampler s = new SampleFramesSampler(4, FrameStride.ofTargetFps(5), 1, true, false);
        assertFrames(s.sample(new VideoTimeline(300, 30), null), new int[] {140, 146, 152, 158});
        // the same sampler on a 10 fps video: stride 2; ori = 7, max = 293 -> 146
        assertFrames(s.sample(new VideoTimeline(300, 10), null), new int[] {146, 148, 150, 152});
    }

    @Test
    void randomnessFlag() {
        assertTrue(train(4, S1, 1).isRandom());
        assertFalse(test(4, S1, 1).isRandom());
        assertNotEquals(train(4, S1, 1).toString(), test(4, S1, 1).toString());
    }

    @Test
    void rejectsBadArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> test(0, S1, 1));
        assertTrue(e.getMessage().contains("clipLen must be >= 1 (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> test(4, S1, -2));
        assertTrue(e.getMessage().contains("numClips must be >= 1 (got -2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SampleFramesSampler(1, S1, 2, false, true));
        assertTrue(e.getMessage().contains("test mode only"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> train(4, S1, 1).sample(new VideoTimeline(10, 30), null));
        assertTrue(e.getMessage().contains("random generator"), e.getMessage());
    }
}

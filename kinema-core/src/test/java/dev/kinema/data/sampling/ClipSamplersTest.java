package dev.kinema.data.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClipSamplersTest {

    @Test
    void buildsEveryModeByName() {
        assertInstanceOf(SampleFramesSampler.class, ClipSamplers.builder().mode("random").build());
        assertInstanceOf(SampleFramesSampler.class, ClipSamplers.builder().mode("uniform").build());
        assertInstanceOf(TsnSegmentSampler.class, ClipSamplers.builder().mode("TSN").build());
        assertInstanceOf(DenseSampler.class, ClipSamplers.builder().mode("dense").build());
        assertInstanceOf(SlidingWindowSampler.class, ClipSamplers.builder().mode("sliding").build());
        assertInstanceOf(ConstantClipsSampler.class, ClipSamplers.builder().mode("constant").build());
        assertInstanceOf(RandomWindowSampler.class, ClipSamplers.builder().mode("random_window").build());
        assertInstanceOf(ConstantClipsSampler.class, ClipSamplers.builder().mode("random-window").test(true).build());
    }

    @Test
    void trainAndTestModes() {
        assertTrue(ClipSamplers.builder().mode("random").build().isRandom());
        assertFalse(ClipSamplers.builder().mode("random").test(true).build().isRandom());
        assertFalse(ClipSamplers.builder().mode("uniform").build().isRandom()); // uniform is always the test rule
        assertTrue(ClipSamplers.builder().mode("tsn").build().isRandom());
        assertFalse(ClipSamplers.builder().mode("tsn").test(true).build().isRandom());
        assertTrue(ClipSamplers.builder().mode("dense").build().isRandom());
        assertFalse(ClipSamplers.builder().mode("sliding").build().isRandom());
    }

    @Test
    void builtSamplerMatchesDirectConstruction() {
        VideoTimeline v = new VideoTimeline(100, 25);
        ClipSampler built = ClipSamplers.builder().mode(SamplingMode.UNIFORM).clipLen(8).frameStride(2).clips(3).build();
        assertEquals(new SampleFramesSampler(8, FrameStride.ofFrames(2), 3, true, false).sample(v, null), built.sample(v, 0L));
        ClipSampler tsn = ClipSamplers.builder().mode("tsn").clipLen(1).clips(8).test(true).twiceSample(true).build();
        assertEquals(16, tsn.sample(v, 0L).size());
    }

    @Test
    void unknownModeListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClipSamplers.builder().mode("slow"));
        assertEquals("unknown sampling mode 'slow'; expected one of random, uniform, tsn, dense, sliding, constant, random-window",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SamplingMode.parse(null));
    }

    @Test
    void rejectsInvalidParameters() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClipSamplers.builder().clipLen(0).build());
        assertTrue(e.getMessage().contains("clipLen must be >= 1 (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipSamplers.builder().clips(-1).build());
        assertTrue(e.getMessage().contains("numClips must be >= 1 (got -1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipSamplers.builder().frameStride(0));
        assertTrue(e.getMessage().contains("frame stride must be >= 1 (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipSamplers.builder().targetFps(-5));
        assertTrue(e.getMessage().contains("target fps must be a finite number > 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ClipSamplers.builder().mode("dense").twiceSample(true).test(true).build());
        assertTrue(e.getMessage().contains("twice-sample applies only to test mode"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipSamplers.builder().mode("tsn").twiceSample(true).build());
        assertTrue(e.getMessage().contains("in train mode"), e.getMessage());
    }

    @Test
    void videoTimelineValidatesAndDerivesDuration() {
        assertEquals(10.0, new VideoTimeline(300, 30).durationSeconds(), 1e-12);
        var e = assertThrows(IllegalArgumentException.class, () -> new VideoTimeline(0, 30));
        assertTrue(e.getMessage().contains("at least 1 frame (got 0)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new VideoTimeline(10, 0));
        assertTrue(e.getMessage().contains("fps must be a finite number > 0 (got 0.0)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VideoTimeline(10, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new VideoTimeline(-4, 30));
    }

    @Test
    void targetFpsStrideRounding() {
        assertEquals(6, FrameStride.ofTargetFps(5).resolve(30));     // 30 / 5 = 6
        assertEquals(6, FrameStride.ofTargetFps(5).resolve(29.97));  // 5.994 -> 6
        assertEquals(3, FrameStride.ofTargetFps(10).resolve(25));    // 2.5 -> 3 (halves round up)
        assertEquals(2, FrameStride.ofTargetFps(10).resolve(24));    // 2.4 -> 2
        assertEquals(1, FrameStride.ofTargetFps(60).resolve(24));    // no upsampling: at least 1
        assertEquals(4, FrameStride.ofFrames(4).resolve(30));
    }

    @Test
    void perVideoGeneratorsAreStableAndDistinct() {
        ClipSampler s = ClipSamplers.builder().mode("random").clipLen(4).build();
        VideoTimeline v = new VideoTimeline(1000, 30);
        List<SampledClip> a = s.sample(v, ClipSamplers.rng(7, 0, 12));
        assertEquals(a, s.sample(v, ClipSamplers.rng(7, 0, 12)));
        int same = 0;
        for (int video = 0; video < 20; video++) {
            if (a.equals(s.sample(v, ClipSamplers.rng(7, 0, video)))) {
                same++;
            }
        }
        assertTrue(same <= 2, "different videos draw differently");
        assertNotEquals(a, s.sample(v, ClipSamplers.rng(7, 1, 12)));
    }

    @Test
    void sampledClipIsImmutable() {
        int[] frames = {1, 2, 3};
        SampledClip c = new SampledClip(0, frames, 0, 0.1);
        frames[0] = 99;
        c.frameIndices()[1] = 99;
        assertEquals(List.of(1, 2, 3), java.util.Arrays.stream(c.frameIndices()).boxed().toList());
        assertEquals(new SampledClip(0, new int[] {1, 2, 3}, 0, 0.1), c);
    }
}

package dev.kinema.data.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TargetFpsTest {
    @Test
    void centredClipMatchesMmaction2TestOffset() {
        // 30 fps -> 5 fps: stride 6; span 8 * 6 = 48; offset int((100 - 48 + 1) / 2) = 26.
        assertArrayEquals(new int[] {26, 32, 38, 44, 50, 56, 62, 68}, TargetFps.choose(100, 30, 8, 5, null));
    }

    @Test
    void fractionalStrideFloorsEachPosition() {
        // 25 fps -> 4 fps: 6.25 frames apart.
        assertArrayEquals(new int[] {0, 6, 12, 18, 25, 31, 37, 43}, TargetFps.indices(1000, 0, 8, 6.25));
        // Target above the video's rate repeats frames.
        assertArrayEquals(new int[] {3, 3, 4, 4, 5}, TargetFps.indices(10, 3, 5, 0.5));
    }

    @Test
    void tooShortVideoLoops() {
        // 10 frames, stride 2, 8 frames: span 16 > 9, so start 0 and wrap (MMAction2 'loop').
        assertArrayEquals(new int[] {0, 2, 4, 6, 8, 0, 2, 4}, TargetFps.choose(10, 10, 8, 5, null));
    }

    @Test
    void startSecondsPicksTheFrameShownThen() {
        assertEquals(25, TargetFps.frameAt(1.0, 25));
        assertEquals(7, TargetFps.frameAt(0.3, 25)); // 7.5 -> 7
        assertArrayEquals(new int[] {30, 36, 42}, TargetFps.choose(100, 30, 3, 5, 1.0));
        assertThrows(IllegalArgumentException.class, () -> TargetFps.choose(100, 25, 3, 5, 4.0));
        assertThrows(IllegalArgumentException.class, () -> TargetFps.choose(100, 25, 3, 5, -1.0));
        assertThrows(IllegalArgumentException.class, () -> TargetFps.choose(100, 25, 3, 0, null));
    }
}

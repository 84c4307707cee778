package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kinema.video.FrameSize;
import dev.kinema.video.VideoFrames;
import org.junit.jupiter.api.Test;

class ResizeTest {
    @Test
    void shortSideOutputSizesFloorTheLongSide() {
        // {H, W, side, expected H, expected W}
        int[][] cases = {
            {4, 6, 2, 2, 3},
            {6, 10, 4, 4, 6},    // 10 * 4 / 6 = 6.67 -> 6
            {7, 5, 3, 4, 3},     // portrait: 7 * 3 / 5 = 4.2 -> 4
            {240, 320, 112, 112, 149}, // 149.33 -> 149
            {5, 5, 3, 3, 3},
            {3, 4, 6, 6, 8},     // upscale
        };
        for (int[] k : cases) {
            VideoFrames out = Resize.shortSide(k[2]).apply(TestClips.constant(1, k[0], k[1], 9, 9, 9), null);
            assertEquals(k[3], out.height(), "height for " + k[1] + "x" + k[0] + " -> " + k[2]);
            assertEquals(k[4], out.width(), "width for " + k[1] + "x" + k[0] + " -> " + k[2]);
            int[] wh = FrameSize.shortSide(k[2]).resolve(k[1], k[0]);
            assertEquals(wh[0], out.width());
            assertEquals(wh[1], out.height());
        }
    }

    @Test
    void constantImageStaysConstant() {
        VideoFrames clip = TestClips.constant(2, 7, 11, 200, 17, 0);
        for (int[] hw : new int[][] {{3, 5}, {14, 22}, {7, 3}, {1, 1}, {20, 9}}) {
            VideoFrames out = Resize.bilinear(clip, hw[0], hw[1]);
            assertEquals(hw[0], out.height());
            assertEquals(hw[1], out.width());
            for (int i = 0; i < out.rgb().length; i += 3) {
                assertEquals(200, out.rgb()[i] & 0xff);
                assertEquals(17, out.rgb()[i + 1] & 0xff);
                assertEquals(0, out.rgb()[i + 2] & 0xff);
            }
            assertArrayEquals(clip.sourceIndices(), out.sourceIndices());
        }
    }

    @Test
    void bilinearUsesHalfPixelCentresLikePyTorch() {
        // torch.nn.functional.interpolate(..., mode="bilinear", align_corners=False) values.
        VideoFrames up = Resize.bilinear(TestClips.row(0, 100), 1, 4);
        assertEquals(0, up.get(0, 0, 0, 0));
        assertEquals(25, up.get(0, 0, 1, 0));
        assertEquals(75, up.get(0, 0, 2, 0));
        assertEquals(100, up.get(0, 0, 3, 0));
        VideoFrames down = Resize.bilinear(TestClips.row(0, 40, 80, 120), 1, 2);
        assertEquals(20, down.get(0, 0, 0, 0));
        assertEquals(100, down.get(0, 0, 1, 0));
    }

    @Test
    void sameSizeIsTheInputAndExactIgnoresAspect() {
        VideoFrames clip = TestClips.coded(2, 4, 6);
        assertSame(clip, Resize.exact(6, 4).apply(clip, null));
        VideoFrames out = Resize.exact(3, 5).apply(clip, null);
        assertEquals(5, out.height());
        assertEquals(3, out.width());
    }
}

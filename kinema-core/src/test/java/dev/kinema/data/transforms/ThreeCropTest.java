package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kinema.video.VideoFrames;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Offsets expected from PyTorchVideo's uniform_crop: y = ceil((H - size) / 2),
 * x = ceil((W - size) / 2); then along the longer side (H only if H > W) view 0 is at 0 and view 2
 * at side - size.
 */
class ThreeCropTest {
    @Test
    void landscapeMovesAlongTheWidth() {
        // H=4, W=6, size 4: y = 0; x = 0, ceil(2/2) = 1, 2.
        assertArrayEquals(new int[] {0, 0}, ThreeCrop.offset(4, 6, 4, 0));
        assertArrayEquals(new int[] {0, 1}, ThreeCrop.offset(4, 6, 4, 1));
        assertArrayEquals(new int[] {0, 2}, ThreeCrop.offset(4, 6, 4, 2));
        // H=4, W=7, size 3: y = ceil(1/2) = 1 in every view; x = 0, ceil(4/2) = 2, 4.
        assertArrayEquals(new int[] {1, 0}, ThreeCrop.offset(4, 7, 3, 0));
        assertArrayEquals(new int[] {1, 2}, ThreeCrop.offset(4, 7, 3, 1));
        assertArrayEquals(new int[] {1, 4}, ThreeCrop.offset(4, 7, 3, 2));
        // 256x340 (Kinetics test after short-side 256), size 256: x = 0, 42, 84.
        assertArrayEquals(new int[] {0, 42}, ThreeCrop.offset(256, 340, 256, 1));
        assertArrayEquals(new int[] {0, 84}, ThreeCrop.offset(256, 340, 256, 2));
    }

    @Test
    void portraitMovesAlongTheHeight() {
        // H=6, W=4, size 3: x = ceil(1/2) = 1; y = 0, ceil(3/2) = 2, 3.
        assertArrayEquals(new int[] {0, 1}, ThreeCrop.offset(6, 4, 3, 0));
        assertArrayEquals(new int[] {2, 1}, ThreeCrop.offset(6, 4, 3, 1));
        assertArrayEquals(new int[] {3, 1}, ThreeCrop.offset(6, 4, 3, 2));
        // H=7, W=4, size 4: x = 0; y = 0, ceil(3/2) = 2, 3.
        assertArrayEquals(new int[] {0, 0}, ThreeCrop.offset(7, 4, 4, 0));
        assertArrayEquals(new int[] {2, 0}, ThreeCrop.offset(7, 4, 4, 1));
        assertArrayEquals(new int[] {3, 0}, ThreeCrop.offset(7, 4, 4, 2));
    }

    @Test
    void squareFramesMoveAlongTheWidth() {
        // H == W is not "height > width": PyTorchVideo moves x.
        assertArrayEquals(new int[] {1, 0}, ThreeCrop.offset(5, 5, 3, 0));
        assertArrayEquals(new int[] {1, 1}, ThreeCrop.offset(5, 5, 3, 1));
        assertArrayEquals(new int[] {1, 2}, ThreeCrop.offset(5, 5, 3, 2));
    }

    @Test
    void viewsHoldThoseWindowsPixelForPixel() {
        VideoFrames land = TestClips.coded(2, 4, 7);
        List<VideoFrames> views = new ThreeCrop(3).apply(land);
        assertEquals(3, views.size());
        CropTest.assertWindow(land, views.get(0), 1, 0);
        CropTest.assertWindow(land, views.get(1), 1, 2);
        CropTest.assertWindow(land, views.get(2), 1, 4);

        VideoFrames port = TestClips.coded(2, 6, 4);
        List<VideoFrames> pv = new ThreeCrop(3).apply(port);
        CropTest.assertWindow(port, pv.get(0), 0, 1);
        CropTest.assertWindow(port, pv.get(1), 2, 1);
        CropTest.assertWindow(port, pv.get(2), 3, 1);
        for (VideoFrames v : pv) {
            assertEquals(3, v.height());
            assertEquals(3, v.width());
            assertArrayEquals(port.sourceIndices(), v.sourceIndices());
        }
    }

    @Test
    void centreViewEqualsCentreCrop() {
        VideoFrames clip = TestClips.coded(2, 5, 8);
        assertArrayEquals(Crop.center(3).apply(clip, null).rgb(), new ThreeCrop(3).view(clip, 1).rgb());
        assertArrayEquals(new ThreeCrop(3).view(clip, 2).rgb(),
                new ThreeCrop(3).asTransform(2).apply(clip, new Random(1)).rgb());
    }

    @Test
    void badIndexOrSizeIsAnError() {
        VideoFrames clip = TestClips.coded(1, 4, 6);
        assertThrows(IllegalArgumentException.class, () -> new ThreeCrop(3).view(clip, 3));
        assertThrows(IllegalArgumentException.class, () -> new ThreeCrop(5).apply(clip));
    }
}

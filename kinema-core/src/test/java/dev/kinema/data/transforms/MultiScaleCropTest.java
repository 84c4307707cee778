package dev.kinema.data.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.video.VideoFrames;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MultiScaleCropTest {
    @Test
    void tsnCandidateSizesFor256x340() {
        MultiScaleCrop msc = MultiScaleCrop.tsn(224);
        // base 256: sides int(256 * s) = 256, 224, 192, 168 (168.96 truncated).
        List<int[]> sizes = msc.candidateSizes(256, 340);
        Set<String> got = new HashSet<>();
        for (int[] wh : sizes) {
            got.add(wh[0] + "x" + wh[1]);
        }
        assertEquals(Set.of("256x256", "224x256", "256x224", "224x224", "192x224", "224x192",
                "192x192", "168x192", "192x168", "168x168"), got);
        assertEquals(10, sizes.size());
        // The first candidate is (w, h) = (256, 256), then (224, 256): height level outer, width inner.
        assertArrayEquals(new int[] {256, 256}, sizes.get(0));
        assertArrayEquals(new int[] {224, 256}, sizes.get(1));
    }

    @Test
    void sidesWithinThreePixelsSnapToTheOutput() {
        MultiScaleCrop msc = MultiScaleCrop.builder(112, 112).build();
        assertArrayEquals(new int[] {112, 112}, msc.snap(new int[] {114, 110}, 200, 200));
        assertArrayEquals(new int[] {115, 109}, msc.snap(new int[] {115, 109}, 200, 200));
        // Snapping never makes the window larger than the frame.
        assertArrayEquals(new int[] {111, 111}, msc.snap(new int[] {111, 111}, 111, 111));
    }

    @Test
    void fixedOffsetsAreTheThirteenTsnPositions() {
        // 340x256 frame, 224x224 crop: steps (340-224)/4 = 29 and (256-224)/4 = 8.
        List<int[]> offs = MultiScaleCrop.fixedOffsets(256, 340, 224, 224, 13);
        int[][] expected = {
            {0, 0}, {116, 0}, {0, 32}, {116, 32}, {58, 16},
            {0, 16}, {116, 16}, {58, 32}, {58, 0}, {29, 8}, {87, 8}, {29, 24}, {87, 24},
        };
        assertEquals(expected.length, offs.size());
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], offs.get(i), "position " + i);
        }
        assertEquals(5, MultiScaleCrop.fixedOffsets(256, 340, 224, 224, 5).size());
    }

    @Test
    void windowsAreAllowedSizesAtAllowedOffsetsAndOutputIsTheTarget() {
        MultiScaleCrop msc = MultiScaleCrop.tsn(8);
        int h = 12;
        int w = 20;
        VideoFrames clip = TestClips.coded(2, h, w);
        Set<String> allowedSizes = new HashSet<>();
        for (int[] wh : msc.candidateSizes(h, w)) {
            int[] s = msc.snap(wh, h, w);
            allowedSizes.add(s[0] + "x" + s[1]);
        }
        Set<String> usedOffsets = new HashSet<>();
        for (int seed = 0; seed < 300; seed++) {
            MultiScaleCrop.Window win = msc.choose(h, w, new Random(seed));
            assertTrue(allowedSizes.contains(win.width() + "x" + win.height()), win.toString());
            boolean allowed = false;
            for (int[] xy : MultiScaleCrop.fixedOffsets(h, w, win.width(), win.height(), 13)) {
                allowed |= xy[0] == win.x() && xy[1] == win.y();
            }
            assertTrue(allowed, "offset of " + win + " is one of the 13");
            usedOffsets.add(win.x() + "," + win.y() + "," + win.width() + "," + win.height());

            VideoFrames out = msc.apply(clip, new Random(seed));
            assertEquals(8, out.height());
            assertEquals(8, out.width());
            assertEquals(2, out.frames());
            assertArrayEquals(clip.sourceIndices(), out.sourceIndices());
            assertArrayEquals(out.rgb(), msc.apply(clip, new Random(seed)).rgb(), "same seed, same crop");
        }
        assertTrue(usedOffsets.size() > 20, "many different windows drawn: " + usedOffsets.size());
    }

    @Test
    void randomOffsetsStayInside() {
        MultiScaleCrop msc = MultiScaleCrop.builder(6, 6).optScales(1, 0.75, 0.5).optMaxWhScaleGap(2)
                .optRandomCrop(true).build();
        for (int seed = 0; seed < 200; seed++) {
            MultiScaleCrop.Window win = msc.choose(10, 16, new Random(seed));
            assertTrue(win.x() >= 0 && win.y() >= 0 && win.x() + win.width() <= 16 && win.y() + win.height() <= 10,
                    win.toString());
        }
    }

    @Test
    void cropWithoutResizeIsTheExactWindow() {
        // Scale 1 of a 4-row frame is 4x4, the output size, so no resize happens: pure crop.
        MultiScaleCrop msc = MultiScaleCrop.builder(4, 4).optScales(1).build();
        VideoFrames clip = TestClips.coded(2, 4, 12);
        for (int seed = 0; seed < 20; seed++) {
            MultiScaleCrop.Window win = msc.choose(4, 12, new Random(seed));
            assertTrue(Set.of(0, 4, 8).contains(win.x()), "x in {0, 2*2, 4*2}: " + win);
            CropTest.assertWindow(clip, msc.apply(clip, new Random(seed)), win.y(), win.x());
        }
    }
}

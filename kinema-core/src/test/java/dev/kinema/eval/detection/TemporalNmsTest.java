package dev.kinema.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.data.annotations.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

class TemporalNmsTest {
    @Test
    void softNmsMatchesMmaction2sPublishedCase() {
        // MMAction2's tests/models/localizers/test_localization_utils.py::test_soft_nms.
        double[][] proposals = {{0, 1, 1, 1, 0.5, 0.5}, {0, 0.4, 1, 1, 0.4, 0.4}, {0, 0.95, 1, 1, 0.6, 0.6}};
        double[][] kept = TemporalNms.softNms(proposals, 0.75, 0.65, 0.9, 1);
        assertEquals(2, kept.length, "top_k = 1 keeps top_k + 1, as MMAction2's loop does");
        assertArrayEquals(new double[] {0, 0.95, 0.6}, kept[0], 0);
        assertArrayEquals(new double[] {0, 0.4, 0.4}, kept[1], 0);
    }

    @Test
    void softNmsDecaysOnlyAboveTheWidthDependentThreshold() {
        // Kept [0, 0.95] (width 0.95): threshold 0.65 + 0.25 * 0.95 = 0.8875. [0, 1] overlaps it by
        // 0.95 > 0.8875 and decays to 0.5 * exp(-0.95^2 / 0.75); [0, 0.4] (tIoU 0.42) keeps 0.4.
        double[][] kept = TemporalNms.softNms(new double[][] {{0, 1, 0.5}, {0, 0.4, 0.4}, {0, 0.95, 0.6}}, 0.75, 0.65, 0.9, 10);
        assertEquals(3, kept.length);
        assertArrayEquals(new double[] {0, 0.4, 0.4}, kept[1], 0);
        assertArrayEquals(new double[] {0, 1, 0.5 * Math.exp(-0.95 * 0.95 / 0.75)}, kept[2], 1e-15);
    }

    @Test
    void greedyNmsSuppressesOverlapsAboveTheThreshold() {
        Segment a = new Segment("v", 0, 10, "x", 0.9);
        Segment b = new Segment("v", 1, 11, "x", 0.8); // tIoU 9/11 with a
        Segment c = new Segment("v", 20, 30, "x", 0.7);
        assertEquals(List.of(a, c), TemporalNms.nms(List.of(c, b, a), 0.5, 10));
        assertEquals(List.of(a, b, c), TemporalNms.nms(List.of(c, b, a), 0.85, 10));
        assertEquals(List.of(a), TemporalNms.nms(List.of(c, b, a), 0.5, 1));
    }
}

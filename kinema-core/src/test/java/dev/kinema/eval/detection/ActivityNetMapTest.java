package dev.kinema.eval.detection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.data.annotations.Segment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ActivityNet detection mAP on a case worked out by hand (the derivation is in the comments). */
class ActivityNetMapTest {
    private static final List<Segment> TRUTH = List.of(
            Segment.truth("v1", 10, 20, "A"), Segment.truth("v1", 30, 40, "A"), Segment.truth("v2", 0, 10, "A"),
            Segment.truth("v1", 50, 60, "B"));

    // By score: p1 hits [10,20] exactly; p2 overlaps [10,20] by 9/11 but it is taken, and the next
    // best ground truth ([30,40], tIoU 0) is under every threshold, so p2 is a false positive; p3
    // overlaps [0,10] by exactly 0.5; p4 overlaps [30,40] by 0.96; p5 is in a video without truth.
    private static final List<Segment> PREDICTIONS = List.of(
            new Segment("v1", 30.2, 39.8, "A", 0.6), new Segment("v3", 0, 5, "A", 0.5),
            new Segment("v1", 10, 20, "A", 0.9), new Segment("v1", 11, 21, "A", 0.8), new Segment("v2", 0, 5, "A", 0.7),
            new Segment("v1", 50, 60, "C", 0.99));

    @Test
    void handDerivedInterpolatedApPerThreshold() {
        ActivityNetMap.Result r = ActivityNetMap.evaluate(TRUTH, PREDICTIONS);
        // tIoU 0.5: TP FP TP TP FP -> precision 1, 1/2, 2/3, 3/4, 3/5 at recall 1/3, 1/3, 2/3, 1, 1:
        // envelope 1, 3/4, 3/4 over the three recall steps -> AP = 1/3 + 1/4 + 1/4 = 5/6.
        // tIoU 0.55..0.95: p3 misses -> TP FP FP TP FP -> 1/3 * 1 + 1/3 * 1/2 = 1/2.
        double[] apA = r.apByClass().get("A");
        assertEquals(5.0 / 6, apA[0], 1e-12);
        for (int t = 1; t < 10; t++) {
            assertEquals(0.5, apA[t], 1e-12, "tIoU " + r.thresholds()[t]);
        }
        assertArrayEquals(new double[10], r.apByClass().get("B"), 0, "B has no predictions");
        assertEquals(5.0 / 12, r.map()[0], 1e-12);
        assertEquals(0.25, r.map()[9], 1e-12);
        assertEquals((5.0 / 12 + 9 * 0.25) / 10, r.averageMap(), 1e-12);
        assertEquals(1, r.unknownLabels(), "label C is no ground-truth class");
    }

    @Test
    void thresholdsAreNumpysLinspace() {
        assertEquals(10, ActivityNetMap.THRESHOLDS.length);
        assertEquals(0.5, ActivityNetMap.THRESHOLDS[0], 0);
        assertEquals(0.95, ActivityNetMap.THRESHOLDS[9], 0);
        assertEquals(0.75, ActivityNetMap.THRESHOLDS[5], 1e-15);
    }

    @Test
    void perfectPredictionsScoreOne() {
        List<Segment> perfect = TRUTH.stream().map(s -> new Segment(s.videoId(), s.start(), s.end(), s.label(), 0.5)).toList();
        ActivityNetMap.Result r = ActivityNetMap.evaluate(TRUTH, perfect);
        assertEquals(1, r.averageMap(), 1e-12);
    }

    @Test
    void aDuplicateDetectionIsAFalsePositiveThatLowersAp() {
        List<Segment> truth = List.of(Segment.truth("v", 0, 10, "A"));
        List<Segment> twice = List.of(new Segment("v", 0, 10, "A", 0.9), new Segment("v", 0, 10, "A", 0.8));
        // TP then FP: precision 1 at recall 1 first, so the envelope still gives AP 1.
        assertEquals(1, ActivityNetMap.evaluate(truth, twice).averageMap(), 1e-12);
        List<Segment> wrongFirst = List.of(new Segment("v", 20, 30, "A", 0.9), new Segment("v", 0, 10, "A", 0.8));
        assertEquals(0.5, ActivityNetMap.evaluate(truth, wrongFirst).averageMap(), 1e-12);
    }
}

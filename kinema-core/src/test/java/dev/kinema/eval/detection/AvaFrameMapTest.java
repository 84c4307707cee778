package dev.kinema.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kinema.data.annotations.ActorBox;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** AVA frame mAP on a case worked out by hand. */
class AvaFrameMapTest {
    private static final Map<Integer, String> LABELS = Map.of(1, "walk", 2, "wave", 3, "sit");

    private static ActorBox box(int t, double x1, double x2, int action, double score) {
        return new ActorBox("vid", t, x1, 0, x2, 0.5, action, -1, score);
    }

    @Test
    void aDetectionMatchesOnlyItsHighestIouGroundTruth() {
        ActorBox a = box(902, 0, 0.5, 1, 1);
        ActorBox b = box(902, 0.1, 0.6, 1, 1);
        ActorBox c = new ActorBox("vid", 902, 0.6, 0.6, 0.9, 0.9, 2, -1, 1);
        List<ActorBox> truth = List.of(a, b, c, new ActorBox("vid", 904, 0.6, 0.6, 0.9, 0.9, 2, -1, 1));
        List<ActorBox> detections = List.of(
                box(902, 0, 0.5, 1, 0.9),       // = a: TP
                box(902, 0.04, 0.54, 1, 0.8),   // IoU 0.85 with a (taken), 0.79 with b: FP, b not tried
                box(903, 0, 0.5, 1, 0.7),       // keyframe without ground truth: FP
                box(902, 0.1, 0.6, 1, 0.6),     // = b: TP
                new ActorBox("vid", 902, 0.6, 0.6, 0.9, 0.9, 2, -1, 0.5),  // = c: TP
                new ActorBox("vid", 902, 0.7, 0.6, 0.7, 0.9, 2, -1, 0.95), // zero width: dropped
                new ActorBox("vid", 904, 0.6, 0.6, 0.9, 0.9, 2, -1, 0.99), // excluded keyframe
                new ActorBox("vid", 902, 0.6, 0.6, 0.9, 0.9, 7, -1, 0.99)); // not in the label map
        AvaFrameMap.Result r = AvaFrameMap.evaluate(truth, detections, LABELS, Set.of(ActorBox.key("vid", 904)));
        // walk: TP FP FP TP of 2 -> precision 1, 1/2, 1/3, 1/2 at recall 1/2, 1/2, 1/2, 1 -> 1/2 + 1/2 * 1/2.
        assertEquals(0.75, r.apByClass().get(1), 1e-12);
        assertEquals(1.0, r.apByClass().get(2), 1e-12);
        assertFalse(r.apByClass().containsKey(3), "sit has no ground truth, so no AP");
        assertEquals(0.875, r.map(), 1e-12);
    }

    @Test
    void aClassWithGroundTruthButNoDetectionsScoresZero() {
        AvaFrameMap.Result r = AvaFrameMap.evaluate(List.of(box(1, 0, 0.5, 1, 1), box(1, 0, 0.5, 2, 1)),
                List.of(box(1, 0, 0.5, 1, 0.3)), LABELS, Set.of());
        assertEquals(1.0, r.apByClass().get(1), 0);
        assertEquals(0.0, r.apByClass().get(2), 0);
        assertEquals(0.5, r.map(), 0);
    }
}

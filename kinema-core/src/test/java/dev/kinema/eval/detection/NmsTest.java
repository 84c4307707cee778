package dev.kinema.eval.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.data.annotations.ActorBox;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmsTest {
    private static ActorBox box(double x1, double y1, double x2, double y2, double score) {
        return new ActorBox("v", 1, x1, y1, x2, y2, 0, -1, score);
    }

    // Worked out by hand (dyadic corners, so every IoU is exact); torchvision.ops.nms on the same
    // boxes keeps D, A, C, E at 0.5 and D, A at 0.3.
    private static final ActorBox A = box(0, 0, 0.5, 0.5, 0.9);
    private static final ActorBox B = box(0.125, 0, 0.625, 0.5, 0.8);  // IoU 0.1875/0.3125 = 0.6 with A and with C
    private static final ActorBox C = box(0.25, 0, 0.75, 0.5, 0.7);    // IoU 0.125/0.375 = 1/3 with A
    private static final ActorBox D = box(0.5, 0.5, 1, 1, 0.95);       // touches the others only along an edge
    private static final ActorBox E = box(0.5, 0.5, 1, 0.75, 0.6);     // inside D, half its area: IoU exactly 0.5

    @Test
    void boxNmsKeepsTheBestAndDropsOnlyOverlapsAboveTheThreshold() {
        // B goes (0.6 > 0.5 with A); C stays, because B, which overlaps it by 0.6, was dropped before
        // it could suppress anything; E stays at exactly 0.5, since only IoU above the threshold drops.
        assertEquals(List.of(D, A, C, E), Nms.boxes(List.of(A, B, C, D, E), 0.5, 10));
        assertEquals(List.of(D, A), Nms.boxes(List.of(A, B, C, D, E), 0.3, 10));
        assertEquals(List.of(D, A), Nms.boxes(List.of(A, B, C, D, E), 0.5, 2));
    }

    @Test
    void thresholdOneKeepsEveryBoxBestFirst() {
        assertEquals(List.of(D, A, B, C, E), Nms.boxes(List.of(A, B, C, D, E), 1, 10));
    }
}

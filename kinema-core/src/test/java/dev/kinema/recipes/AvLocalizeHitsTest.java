package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.synth.SoundingObjects;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hit rate's arithmetic: peaks in the sounding box by frame index, chance its mean share of the frame. */
class AvLocalizeHitsTest {
    @Test
    void countsPeaksInTheSoundingBoxOfTheirFrame() {
        SoundingObjects.Box left = new SoundingObjects.Box(0, 0, 10, 10);
        SoundingObjects.Box right = new SoundingObjects.Box(20, 0, 40, 20);
        List<SoundingObjects.FrameBoxes> boxes = List.of(new SoundingObjects.FrameBoxes(left, right),
                new SoundingObjects.FrameBoxes(right, left));
        List<AvLocalize.Peak> peaks = List.of(
                new AvLocalize.Peak(0, 0, 0, 5, 5, 0.9f),     // frame 0, on the sounding (left) box: a hit
                new AvLocalize.Peak(0, 1, 0.04, 5, 5, 0.9f),  // frame 1, on the silent box: a miss
                new AvLocalize.Peak(1, 1, 0.04, 30, 10, 0.8f), // frame 1, on the sounding (right) box: a hit
                new AvLocalize.Peak(1, 7, 0.28, 30, 10, 0.8f)); // no boxes for frame 7: not counted
        AvLocalize.Hits h = AvLocalize.hits(peaks, boxes, 40, 40);
        assertEquals(3, h.frames());
        assertEquals(2, h.hits());
        assertEquals(2 / 3.0, h.rate(), 1e-12);
        assertEquals((100 / 1600.0 + 400 / 1600.0 + 400 / 1600.0) / 3, h.chance(), 1e-12);
    }
}

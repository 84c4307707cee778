package dev.kinema.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.types.Shape;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipBatch;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionDetectionTaskTest {
    /** Two clips of 1×1×2×40×80 (N×C×T×H×W): the first has one actor with two actions and one with one. */
    private static ClipBatch batch() {
        VideoSample s = VideoSample.ofFile(Path.of("v.mp4"), 0, "a", "train");
        List<List<Clip.Box>> boxes = List.of(
                List.of(new Clip.Box(1, 8, 4, 24, 36, 0), new Clip.Box(1, 8, 4, 24, 36, 2), new Clip.Box(1, 40, 0, 80, 40, 1)),
                List.of());
        return new ClipBatch(0, new float[2 * 2 * 40 * 80], new Shape(2, 1, 2, 40, 80), new int[] {0, 0}, List.of(s, s),
                new int[] {0, 0}, boxes, null, null);
    }

    @Test
    void boxesAtOnePlaceAreOneActorWithAllItsActions() {
        List<ActionDetectionTask.Region> regions = ActionDetectionTask.regions(batch(), 3);
        assertEquals(2, regions.size());
        ActionDetectionTask.Region first = regions.get(0);
        assertEquals(0, first.clip());
        assertArrayEquals(new float[] {0.1f, 0.1f, 0.3f, 0.9f}, new float[] {first.x1(), first.y1(), first.x2(), first.y2()}, 1e-6f);
        assertArrayEquals(new boolean[] {true, false, true}, first.actions());
        assertArrayEquals(new boolean[] {false, true, false}, regions.get(1).actions());
    }

    @Test
    void aBatchWithoutBoxesIsOneBackgroundRegion() {
        VideoSample s = VideoSample.ofFile(Path.of("v.mp4"), 0, "a", "train");
        ClipBatch empty = new ClipBatch(0, new float[2 * 4], new Shape(1, 1, 2, 2, 2), new int[] {0}, List.of(s), new int[] {0});
        List<ActionDetectionTask.Region> regions = ActionDetectionTask.regions(empty, 2);
        assertEquals(1, regions.size());
        assertArrayEquals(new boolean[] {false, false}, regions.get(0).actions());
    }

    @Test
    void hitRateCountsActorsWhoseBestActionIsTheirs() {
        ActionDetectionTask.HitRate hits = new ActionDetectionTask.HitRate();
        hits.add(new float[] {0.1f, 0.9f, 0.2f}, 0, 3, new boolean[] {false, true, false});
        hits.add(new float[] {0.1f, 0.9f, 0.2f}, 0, 3, new boolean[] {true, false, false});
        hits.add(new float[] {0.1f, 0.9f, 0.2f}, 0, 3, new boolean[] {false, false, false}); // no action: not counted
        assertEquals(0.5, hits.rate(), 1e-12);
    }
}

package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.recipes.SalientSampling.Point;
import dev.kinema.recipes.SalientSampling.Scored;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Choosing clips by saliency, and the accounting of the uniform-vs-salient comparison, on made-up scores. */
class SalientSamplingTest {
    private static final List<String> LABELS = List.of("background", "jump", "wave");

    @Test
    void mostSalientClipsComeInTimeOrderAndUniformSpreadsOut() {
        assertArrayEquals(new int[] {1, 4}, SalientSampling.mostSalient(new double[] {0.1, 0.9, 0.2, 0.3, 0.8}, 2));
        assertArrayEquals(new int[] {0, 2}, SalientSampling.mostSalient(new double[] {0.5, 0.1, 0.5, 0.5}, 2));
        assertArrayEquals(new int[] {1, 5, 8}, SalientSampling.uniform(10, 3));
        assertArrayEquals(new int[] {0, 1}, SalientSampling.uniform(2, 5));
        assertEquals(2, SalientSampling.bestAction(new float[] {0.7f, 0.1f, 0.2f}, LABELS), "background never wins");
    }

    /**
     * Eight candidates, the action only in clip 6: the expensive model is right there and unsure
     * (leaning to the wrong class) elsewhere. Uniform sampling with K = 1 takes clip 4 and is wrong;
     * salient sampling takes clip 6 and is right, at the preview's extra cost.
     */
    @Test
    void salientSamplingFindsTheActionUniformSamplingMisses() {
        double[] saliency = {0.1, 0.1, 0.2, 0.1, 0.1, 0.1, 0.9, 0.2};
        float[][] p = new float[8][];
        for (int j = 0; j < 8; j++) {
            p[j] = j == 6 ? new float[] {0.1f, 0.8f, 0.1f} : new float[] {0.55f, 0.15f, 0.3f};
        }
        double[] starts = {0, 1, 2, 3, 4, 5, 6, 7};
        Scored video = new Scored(Path.of("v.mp4"), starts, saliency, p, LABELS, 0.5, 0.25);
        List<Point> points = SalientSampling.compare(List.of(video), List.of("jump"), new int[] {1, 8}, 2_000_000_000L,
                100_000_000L);
        assertEquals(new Point("uniform", 1, 0.0, 2.0, 0.25), points.get(0));
        assertEquals(new Point("uniform", 8, 0.0, 16.0, 2.0), points.get(1));   // 7 unsure clips outvote the one
        assertEquals(new Point("salient", 1, 1.0, 2.0 + 0.8, 0.25 + 0.5), points.get(2));
        assertEquals("salient", points.get(3).sampler());
    }
}

package dev.kinema.localization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import dev.kinema.data.annotations.Segment;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.testing.TrainingVideos;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlidingWindowsTest {
    @TempDir
    Path dir;

    /** Clip j covers [j/2, j/2 + 1) s; the class "act" is certain from 10 s to 15 s, background elsewhere. */
    private static ClipScores scores(List<String> labels) {
        int n = 50;
        double[] starts = new double[n];
        double[] ends = new double[n];
        float[][] p = new float[n][];
        for (int j = 0; j < n; j++) {
            starts[j] = j / 2.0;
            ends[j] = starts[j] + 1;
            double centre = starts[j] + 0.5;
            boolean acting = centre >= 10 && centre < 15;
            p[j] = acting ? new float[] {0.9f, 0.1f} : new float[] {0.05f, 0.95f};
        }
        return new ClipScores(Path.of("v_clip.mp4"), starts, ends, p, labels, 25.5);
    }

    @Test
    void theBestWindowSpansTheActionAndBackgroundIsNeverReported() {
        List<Segment> segments = new SlidingWindows(new double[] {2, 3, 5, 8}, 0.5, 100).localize(scores(List.of("act", "background")));
        Segment best = segments.get(0);
        assertEquals("act", best.label());
        assertEquals("clip", best.videoId(), "the id drops the extension and ActivityNet's v_ prefix");
        // The 5 s windows stride 1.25 s: [10, 15] is one of them, scores 0.9 * (1 - 0.05) and beats the
        // shorter windows inside the action, whose surroundings still show it.
        assertEquals(10, best.start(), 1e-9);
        assertEquals(15, best.end(), 1e-9);
        assertEquals(0.9 * 0.95, best.score(), 1e-6);
        assertTrue(segments.stream().noneMatch(s -> s.label().equals("background")));
        for (int i = 1; i < segments.size(); i++) {
            assertTrue(segments.get(i).score() <= segments.get(i - 1).score());
        }
    }

    @Test
    void aClassifierWithoutBackgroundIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SlidingWindows.defaults().localize(scores(List.of("act", "other"))));
        assertTrue(e.getMessage().contains("no 'background' class"), e.getMessage());
    }

    @Test
    void clipScoresRunTheModelDenselyOverARealVideo() {
        // 8 fps brightness video: bright from frame 24 to 47 (3 s to 6 s), dark elsewhere; a model
        // whose "bright" logit is the mean pixel value finds the bright stretch.
        Path video = dir.resolve("flash.mp4");
        TrainingVideos.brightness(video, 80, t -> t >= 24 && t < 48 ? 220 : 30);
        Block brightness = new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            NDArray m = x.reshape(x.getShape().get(0), -1).mean(new int[] {1}).mul(20);
            return new NDList(NDArrays.stack(new NDList(m, m.neg()), 1));
        });
        ClipScores s = ClipScores.of(brightness, new ModelInput(4, 2, null, 32, 36), List.of("bright", "background"), video, 0.5);
        // Clips of 4 frames at stride 2 span 7 frames; starts every 4 frames (0.5 s) while one fits in 80 frames.
        assertEquals(19, s.clips());
        assertEquals(0.5, s.starts()[1], 1e-12);
        assertEquals(7 / 8.0, s.ends()[0], 1e-12);
        assertEquals(10.0, s.duration(), 1e-12);
        Segment best = SlidingWindows.defaults().localize(s).get(0);
        assertEquals("bright", best.label());
        // Clips straddling the edges are partly bright, so the edges blur by about a clip's span.
        assertTrue(best.iou(Segment.truth("flash", 3, 6, "bright")) >= 0.6, best.toString());
    }
}

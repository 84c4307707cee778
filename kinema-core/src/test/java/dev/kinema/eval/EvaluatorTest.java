package dev.kinema.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evaluation and classification with a model whose answers are known in advance: it calls a clip
 * "bright" (class 0) when its mean normalised value is positive, else "dark" (class 1).
 */
class EvaluatorTest {
    /** 4 frames at stride 2 (clips span 7 frames), 32 px crops of a 36 px decode. */
    private static final ModelInput INPUT = new ModelInput(4, 2, null, 32, 36);
    private static final List<String> CLASSES = List.of("bright", "dark");
    private static final int DARK = 30;
    private static final int LIGHT = 220;

    @TempDir
    static Path root;

    static Path flash;

    @BeforeAll
    static void writeVideos() throws IOException {
        for (int i = 0; i < 2; i++) {
            TrainingVideos.brightness(root.resolve("val/bright/b" + i + ".mp4"), 16, t -> LIGHT);
            TrainingVideos.brightness(root.resolve("val/dark/d" + i + ".mp4"), 16, t -> DARK);
        }
        // A dark video of 40 frames with a bright flash in frames 16-26. Test clips span 7 frames,
        // so they may start anywhere in 0..33 (MMAction2's test-mode SampleFrames): the centre clip
        // starts at 16 (frames 16, 18, 20, 22), all flash, so it says "bright"; the 4 uniform clips
        // start at 0, 11, 22 and 33 and only the third (22, 24, 26, 28) is mostly flash, so their
        // average says "dark".
        flash = root.resolve("val/dark/flash.mp4");
        TrainingVideos.brightness(flash, 40, t -> t >= 16 && t <= 26 ? LIGHT : DARK);
        Files.writeString(root.resolve("val/dark/broken.mp4"), "not a video");
    }

    static Block brightnessModel() {
        return new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            NDArray m = x.reshape(x.getShape().get(0), -1).mean(new int[] {1});
            return new NDList(NDArrays.stack(new NDList(m, m.neg()), 1));
        });
    }

    private static List<VideoSample> val() throws IOException {
        return DatasetFormats.open(root).samples("val");
    }

    @Test
    void clipAndVideoAccuracyConfusionAndSkippedVideos() throws IOException {
        assertEquals(CLASSES, DatasetFormats.open(root).labels());
        for (int crops : new int[] {1, 3}) {
            EvalResult r = Evaluator.builder().setModel(brightnessModel()).setInput(INPUT).setClasses(CLASSES)
                    .optClips(4).optCrops(crops).optChunk(3).build().evaluate(val());
            // 5 readable videos; only the flash video's centre clip is wrong.
            assertEquals(5, r.videos());
            assertEquals(1, r.skipped());
            assertEquals(0.8, r.clipTop1(), 1e-12);
            assertEquals(1.0, r.videoTop1(), 1e-12);
            assertEquals(1.0, r.clipTop5(), 1e-12);
            assertEquals(1.0, r.meanClassAccuracy(), 1e-12);
            assertArrayEquals(new int[][] {{2, 0}, {0, 3}}, r.confusion());
            assertEquals(4, r.clips());
            assertEquals(crops, r.crops());
        }
    }

    @Test
    void oneClipIsTheCentreClipForBothMetrics() throws IOException {
        EvalResult r = Evaluator.builder().setModel(brightnessModel()).setInput(INPUT).setClasses(CLASSES)
                .optClips(1).build().evaluate(val());
        assertEquals(0.8, r.clipTop1(), 1e-12);
        assertEquals(0.8, r.videoTop1(), 1e-12);
        assertArrayEquals(new int[][] {{2, 0}, {1, 2}}, r.confusion());
        assertEquals(0.5 * (1.0 + 2.0 / 3), r.meanClassAccuracy(), 1e-12);
    }

    @Test
    void classifierShowsThePredictionOverTime() {
        VideoClassifier.Classification c = new VideoClassifier(brightnessModel(), INPUT, CLASSES).classify(flash, 4);
        assertEquals(List.of("dark", "dark", "bright", "dark"),
                c.clips().stream().map(VideoClassifier.ClipPrediction::label).toList());
        // Clips start at frames 0, 11, 22, 33 and end after frames 6, 17, 28, 39, at 8 fps.
        assertEquals(List.of(0.0, 1.375, 2.75, 4.125),
                c.clips().stream().map(VideoClassifier.ClipPrediction::start).toList());
        assertEquals(List.of(0.875, 2.25, 3.625, 5.0),
                c.clips().stream().map(VideoClassifier.ClipPrediction::end).toList());
        assertEquals(List.of("dark", "bright"), c.top5().stream().map(VideoClassifier.LabelProbability::label).toList());
        assertEquals(1.0, c.top5().get(0).probability() + c.top5().get(1).probability(), 1e-5);
        assertTrue(c.top5().get(0).probability() > 0.5);
        for (VideoClassifier.ClipPrediction p : c.clips()) {
            assertTrue(p.probability() >= 0.5 && p.probability() <= 1, p.toString());
        }
    }

    @Test
    void badInputIsReported() throws IOException {
        VideoClassifier classifier = new VideoClassifier(brightnessModel(), INPUT, CLASSES);
        VideoDecodeException e = assertThrows(VideoDecodeException.class,
                () -> classifier.classify(root.resolve("val/dark/broken.mp4"), 2));
        assertTrue(e.getMessage().contains("broken.mp4"), e.getMessage());
        List<VideoSample> unlabeled = List.of(VideoSample.ofFile(flash, -1, null, "test"));
        IllegalArgumentException u = assertThrows(IllegalArgumentException.class, () -> Evaluator.builder()
                .setModel(brightnessModel()).setInput(INPUT).setClasses(CLASSES).build().evaluate(unlabeled));
        assertTrue(u.getMessage().startsWith(flash + ": no label"), u.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Evaluator.builder().setModel(brightnessModel())
                .setInput(INPUT).setClasses(CLASSES).optCrops(2).build());
    }
}

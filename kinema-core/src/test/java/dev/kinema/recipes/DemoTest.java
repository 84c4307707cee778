package dev.kinema.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.eval.EvalResult;
import dev.kinema.tasks.Validation;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.synth.ActionKind;
import dev.kinema.synth.SynthDatasetWriter;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Demo}'s steps without the CLI, on a tiny Kinema-Motion and one epoch of tiny-3d. */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void theStepsRenderTrainEvaluateAndClassify() throws Exception {
        Demo demo = Demo.builder().setOutput(tmp).optVideosPerClass(3).optEpochs(1).optModel("tiny-3d").build();

        // The recipe the README's numbers come from.
        TrainConfig config = demo.trainConfig();
        assertEquals(3e-3, config.optimizer().lr());
        assertFalse(config.data().flip());
        assertEquals(List.of(8, 3, 56, 2), List.of(config.data().frames(), config.data().stride(), config.data().size(),
                config.data().valClips()));

        AtomicInteger rendered = new AtomicInteger();
        SynthDatasetWriter.Summary summary = demo.render(done -> rendered.accumulateAndGet(done, Math::max));
        assertEquals(24, summary.videos().size());
        assertEquals(24, rendered.get());
        // In Kinema-Motion's own order.
        assertEquals(new HashSet<>(Demo.CLASSES), new HashSet<>(Files.readAllLines(demo.data().resolve("labels.txt"))));

        AtomicInteger epochs = new AtomicInteger();
        List<EpochMetrics> history = demo.train(new TrainingListener() {
            @Override
            public void epochFinished(EpochMetrics metrics, Validation validation) {
                epochs.incrementAndGet();
            }
        });
        assertEquals(1, history.size());
        assertEquals(1, epochs.get());
        assertTrue(Files.isRegularFile(demo.run().resolve("report.html")));

        Demo.Evaluation evaluation = demo.evaluate();
        EvalResult result = evaluation.result();
        assertEquals(8, result.videos());
        assertEquals(Demo.EVAL_CLIPS, result.clips());
        assertEquals(0.125, evaluation.chance());
        assertEquals(8, Arrays.stream(result.confusion()).flatMapToInt(Arrays::stream).sum());
        // One test video per class: four of appearance, four only motion tells apart.
        assertEquals(4, evaluation.byKind().get(ActionKind.APPEARANCE)[1]);
        assertEquals(4, evaluation.byKind().get(ActionKind.MOTION)[1]);
        long correct = evaluation.byKind().values().stream().mapToLong(c -> c[0]).sum();
        assertEquals(result.videoTop1(), correct / 8.0, 1e-9);

        List<VideoClassifier.Classification> classified = demo.classify();
        assertEquals(2, classified.size());
        assertEquals(demo.data().resolve("test/waving/waving_0002.mp4"), classified.get(0).video());
        assertEquals(demo.data().resolve("test/slide_left/slide_left_0002.mp4"), classified.get(1).video());
        for (VideoClassifier.Classification c : classified) {
            assertEquals(Demo.CLASSIFY_CLIPS, c.clips().size());
            assertEquals(5, c.top5().size());
        }
    }
}

package dev.kinema.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Crop;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.video.FrameSource;
import dev.kinema.video.LiveFrameSource;
import dev.kinema.video.LiveOptions;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stream model fed through a pipe (a video written by the project's VideoWriter, its bytes pushed
 * into a pipe by another thread) reports every frame, and its scores after the last frame are the
 * whole network's scores on the whole clip.
 */
class StreamClassifierTest {
    @TempDir
    Path tmp;

    @Test
    void scoresAfterTheLastPipedFrameAreTheWholeClipsScores() throws Exception {
        Path video = tmp.resolve("square.mp4");
        TrainingVideos.movingSquare(video, true, new SplittableRandom(3));
        VideoModel model = ModelRegistry.create("stream-x3d-s", ModelConfig.of(2, 4, 32));
        ModelInput input = new ModelInput(4, 1, null, 32, 36);
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 32, 32));
            StreamClassifier classifier = new StreamClassifier(model, input, List.of("left", "right"));
            List<StreamClassifier.Step> steps = new ArrayList<>();
            PipedInputStream pipe = new PipedInputStream(1 << 16);
            Thread feeder = feed(video, new PipedOutputStream(pipe));
            StreamClassifier.Summary summary;
            try (FrameSource frames = LiveFrameSource.open(pipe, "pipe", LiveOptions.builder().optSize(input.decodeSize())
                    .optTimeout(Duration.ofSeconds(30)).build())) {
                summary = classifier.run(frames, 1, 2, steps::add);
            }
            feeder.join();
            assertEquals(TrainingVideos.FRAMES, summary.frames());
            assertEquals(TrainingVideos.FRAMES, steps.size());
            assertEquals(IntStream.range(0, TrainingVideos.FRAMES).boxed().toList(),
                    steps.stream().map(s -> (int) s.frame()).toList());
            assertTrue(steps.stream().allMatch(s -> s.latencyMs() > 0 && s.top().size() == 2));

            float[] whole;
            try (VideoReader reader = VideoReader.open(video, ReaderOptions.builder().optSize(input.decodeSize()).build());
                 NDManager step = m.newSubManager()) {
                VideoFrames clip = Crop.center(32).apply(reader.read(IntStream.range(0, TrainingVideos.FRAMES).toArray()), null);
                NDArray x = input.toTensor().apply(step, clip).expandDims(0);
                whole = model.predictProbabilities(new ParameterStore(step, false), x).toFloatArray();
            }
            StreamClassifier.Step last = steps.get(steps.size() - 1);
            for (VideoClassifier.LabelProbability p : last.top()) {
                int k = p.label().equals("left") ? 0 : 1;
                assertEquals(whole[k], p.probability(), 1e-4, "streamed and whole-clip probability of " + p.label());
            }
        }
    }

    @Test
    void aModelWithoutCausalLayersIsRefused() {
        VideoModel plain = ModelRegistry.create("tiny-3d", ModelConfig.of(2, 4, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StreamClassifier(plain, new ModelInput(4, 1, null, 32, 36), List.of("a", "b")));
        assertTrue(e.getMessage().contains("stream-*"), e.getMessage());
    }

    private static Thread feed(Path video, OutputStream out) {
        Thread t = new Thread(() -> {
            try (InputStream in = Files.newInputStream(video); out) {
                in.transferTo(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "pipe-feeder");
        t.start();
        return t;
    }
}

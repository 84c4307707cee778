package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.eval.VideoFeatures;
import dev.kinema.models.VideoModel;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** A trained run behind DJL's Predictor classifies exactly as the classifier it wraps. */
class TrainedClassifierTest {
    @TempDir
    static Path data;

    @TempDir
    static Path run;

    @BeforeAll
    static void trainARun() throws IOException {
        TrainingVideos.movingSquares(data, 7, 3, 1);
        TrainConfig config = TrainConfig.builder().setData(data.toString()).setModel("tiny-3d").optFrames(4).optStride(2)
                .optSize(24).optResize(28).optEpochs(1).optBatch(4).optOptimizer("sgd").optLr(0.05).optWarmupEpochs(0)
                .optValClips(1).optWorkers(1).optSeed(5).build();
        Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry()).setRunDirectory(run).build().fit();
    }

    private static Path aVideo() throws IOException {
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(p -> p.toString().endsWith(".mp4")).sorted().findFirst().orElseThrow();
        }
    }

    @ParameterizedTest(name = "{0} clips")
    @ValueSource(ints = {3, 2 * VideoClassifier.CHUNK + 1})
    void thePredictorGivesTheClassifiersAnswer(int clips) throws IOException {
        // classify decodes and scores CHUNK clips at a time; the Predictor takes them as one batch.
        Path video = aVideo();
        VideoClassifier.Classification viaPredictor;
        try (TrainedClassifier classifier = TrainedClassifier.open(run, clips)) {
            viaPredictor = classifier.predictor().predict(video);   // DJL's own API
            assertEquals(viaPredictor, classifier.classify(video), "the same answer twice");
        } catch (ai.djl.translate.TranslateException e) {
            throw new AssertionError(e);
        }
        RunDir dir = RunDir.open(run);
        VideoClassifier.Classification direct;
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoClassifier classifier = new VideoClassifier(dir.loadModel(manager, ModelFactory.registry()), dir.input(),
                    dir.labels());
            direct = classifier.classify(video, clips);
        }
        assertEquals(video, viaPredictor.video());
        assertEquals(clips, viaPredictor.clips().size());
        assertEquals(direct.top5().size(), viaPredictor.top5().size());
        for (int i = 0; i < direct.top5().size(); i++) {
            assertEquals(direct.top5().get(i).label(), viaPredictor.top5().get(i).label());
            assertEquals(direct.top5().get(i).probability(), viaPredictor.top5().get(i).probability(), 1e-5);
        }
        for (int i = 0; i < clips; i++) {
            assertEquals(direct.clips().get(i).start(), viaPredictor.clips().get(i).start(), 1e-9);
            assertEquals(direct.clips().get(i).label(), viaPredictor.clips().get(i).label());
        }
    }

    @Test
    void featuresAreThePreLogitsOfTheClassifiersClipsInChunks() throws IOException {
        Path video = aVideo();
        int clips = VideoClassifier.CHUNK + 2;   // two chunks, so the pre-logits pass through Forward.chunked's join
        VideoFeatures features;
        VideoClassifier.Classification classification;
        try (TrainedClassifier classifier = TrainedClassifier.open(run, clips)) {
            classification = classifier.classify(video);
            features = classifier.features(video);
        }
        RunDir dir = RunDir.open(run);
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = (VideoModel) dir.loadModel(manager, ModelFactory.registry());
            VideoClassifier classifier = new VideoClassifier(model, dir.input(), dir.labels());
            VideoClassifier.Clips prepared = classifier.prepare(manager, video, clips);
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray direct = model.forwardHead(ps, model.forwardFeatures(ps, new NDList(prepared.batch()), false), false, true)
                    .singletonOrThrow();
            int d = Math.toIntExact(direct.getShape().get(1));
            assertEquals(clips, features.clips().size());
            assertEquals(d, features.dimension());
            float[] flat = direct.toFloatArray();
            float[] mean = new float[d];
            for (int i = 0; i < clips; i++) {
                VideoFeatures.ClipFeatures c = features.clips().get(i);
                assertEquals(classification.clips().get(i).start(), c.start(), 1e-9, "the classifier's clip spans");
                for (int j = 0; j < d; j++) {
                    assertEquals(flat[i * d + j], c.features()[j], 1e-5, "clip " + i + " feature " + j);
                    mean[j] += flat[i * d + j] / clips;
                }
            }
            for (int j = 0; j < d; j++) {
                assertEquals(mean[j], features.mean()[j], 1e-5, "mean feature " + j);
            }
        }
    }

    @Test
    void aBadVideoIsTheReadersOneLineError(@TempDir Path elsewhere) throws IOException {
        Path broken = Files.writeString(elsewhere.resolve("broken.mp4"), "not a video");
        try (TrainedClassifier classifier = TrainedClassifier.open(run, 2)) {
            VideoDecodeException e = assertThrows(VideoDecodeException.class, () -> classifier.classify(broken));
            assertTrue(e.getMessage().startsWith(broken + ": "), e.getMessage());
        }
    }
}

package dev.kinema.train;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.nn.Block;
import ai.djl.translate.TranslateException;
import dev.kinema.eval.ClassificationTranslator;
import dev.kinema.eval.FeatureTranslator;
import dev.kinema.eval.Forward;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.eval.VideoFeatures;
import dev.kinema.flow.FlowSource;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.ConvNormFolding;
import dev.kinema.nn.PreLogits;
import dev.kinema.tasks.ClassificationTask;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained run as a DJL {@code Predictor}: the run's model (Kinema-trained, imported, or
 * TorchScript), its model card's clips and its class names, behind a {@link ClassificationTranslator}.
 * What {@code kinema classify} uses, and what a service or a Spark job holds one of per worker.
 *
 * <pre>{@code
 * try (TrainedClassifier classifier = TrainedClassifier.open(Path.of("runs/demo"), 10)) {
 *     Classification c = classifier.classify(Path.of("video.mp4"));
 *     Predictor<Path, Classification> p = classifier.predictor();   // DJL's own API
 * }
 * }</pre>
 */
public final class TrainedClassifier implements AutoCloseable {
    private final Model model;
    private final Block block;
    private final VideoClassifier classifier;
    private final int clips;
    private final Predictor<Path, VideoClassifier.Classification> predictor;
    /** The pre-logits Predictor, made on first use of {@link #features}: most users only classify. */
    private Model featureModel;
    private Predictor<Path, VideoFeatures> featurePredictor;

    private TrainedClassifier(Model model, Block block, VideoClassifier classifier, int clips) {
        this.model = model;
        this.block = block;
        this.classifier = classifier;
        this.clips = clips;
        this.predictor = model.newPredictor(new ClassificationTranslator(classifier, clips));
    }

    /** The run in {@code run}, with the optical flow it trained on if its model takes flow. */
    public static TrainedClassifier open(Path run, int clips) throws IOException {
        RunDir dir = RunDir.open(run);
        return open(dir, clips, dir.config().flowSource(null, null, null));
    }

    /**
     * The run {@code dir}, {@code clips} uniform clips per video.
     *
     * @param flow where optical flow comes from; null unless the model takes flow
     */
    public static TrainedClassifier open(RunDir dir, int clips, FlowSource flow) throws IOException {
        dir.requireTask("classification", ClassificationTask.NAME);
        VideoClassifier.checkClips(dir.input(), clips);
        Model model = Model.newInstance(dir.config().model());
        try {
            Block block = dir.loadModel(model.getNDManager(), ModelFactory.registry());
            // Inference only from here: batch norms fold into their convolutions (InferenceOptions.FUSE_BN).
            ConvNormFolding.apply(block);
            // The Predictor runs one forward pass per video: chunked, its activations stay those of CHUNK clips.
            model.setBlock(Forward.chunked(block, VideoClassifier.CHUNK));
            VideoClassifier classifier = new VideoClassifier(block, dir.input(), dir.labels(), flow);
            return new TrainedClassifier(model, block, classifier, clips);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Classifies one video.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public VideoClassifier.Classification classify(Path video) {
        // The same answer as predictor().predict(video) (TrainedClassifierTest), but decoded and scored
        // VideoClassifier.CHUNK clips at a time, where the Predictor's one batch holds every clip.
        return classifier.classify(video, clips);
    }

    /**
     * One video's feature vector: the pre-logit features of the same clips {@link #classify} uses,
     * and their mean (the "C3D features" use).
     *
     * @throws IllegalArgumentException for a TorchScript run, whose graph gives only class scores
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     */
    public VideoFeatures features(Path video) {
        if (featurePredictor == null) {
            if (!(block instanceof VideoModel)) {
                throw new IllegalArgumentException(model.getName() + ": a TorchScript run gives class scores only, no"
                        + " pre-logit features; import the weights into a registry model (kinema import) for features");
            }
            featureModel = Model.newInstance(model.getName() + "-features");
            // The same parameters, run to the classifier's input instead of through it.
            featureModel.setBlock(Forward.chunked(block, VideoClassifier.CHUNK, PreLogits.params()));
            featurePredictor = featureModel.newPredictor(new FeatureTranslator(classifier, clips));
        }
        return predict(featurePredictor, video);
    }

    private static <T> T predict(Predictor<Path, T> predictor, Path video) {
        try {
            return predictor.predict(video);
        } catch (TranslateException e) {
            // DJL wraps what the translator threw; a bad video's own one-line error is the useful part.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof RuntimeException r) {
                    throw r;
                }
            }
            throw new IllegalStateException(video + ": " + e.getMessage(), e);
        }
    }

    /** DJL's predictor, for code written against DJL's API. */
    public Predictor<Path, VideoClassifier.Classification> predictor() {
        return predictor;
    }

    @Override
    public void close() {
        if (featurePredictor != null) {
            featurePredictor.close();
            featureModel.close();
        }
        predictor.close();
        model.close();
    }
}

package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.file.Path;

/**
 * Video classification as a DJL {@code Translator}: a video file in, a
 * {@link VideoClassifier.Classification} out (the top 5 classes of the clips' averaged softmax,
 * and each clip's span, top class and probability). The clips are made exactly as
 * {@link VideoClassifier#prepare} makes them and all go through the model as one batch.
 *
 * <pre>{@code
 * try (Predictor<Path, Classification> p = model.newPredictor(new ClassificationTranslator(classifier, 10))) {
 *     Classification c = p.predict(Path.of("video.mp4"));
 * }
 * }</pre>
 */
public final class ClassificationTranslator implements NoBatchifyTranslator<Path, VideoClassifier.Classification> {
    private static final String CLIPS = "kinema.clips";

    private final VideoClassifier classifier;
    private final int clips;

    /** @param clips uniformly spaced clips per video */
    public ClassificationTranslator(VideoClassifier classifier, int clips) {
        if (clips < 1) {
            throw new IllegalArgumentException("clips must be at least 1, got " + clips);
        }
        this.classifier = classifier;
        this.clips = clips;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Path video) {
        VideoClassifier.Clips prepared = classifier.prepare(ctx.getNDManager(), video, clips);
        ctx.setAttachment(CLIPS, prepared);
        return new NDList(prepared.batch());
    }

    @Override
    public VideoClassifier.Classification processOutput(TranslatorContext ctx, NDList output) {
        VideoClassifier.Clips prepared = (VideoClassifier.Clips) ctx.getAttachment(CLIPS);
        NDArray logits = output.singletonOrThrow();
        int n = prepared.sampled().size();
        int k = classifier.numClasses();
        if (!logits.getShape().equals(new Shape(n, k))) {
            throw new IllegalStateException("the model returned " + logits.getShape() + " for " + n
                    + " clips; expected " + new Shape(n, k) + " logits");
        }
        return classifier.interpret(prepared, Forward.softmaxRows(logits, k));
    }
}

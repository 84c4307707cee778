package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

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
public final class ClassificationTranslator extends ClipsTranslator<VideoClassifier.Classification> {
    /** @param clips uniformly spaced clips per video */
    public ClassificationTranslator(VideoClassifier classifier, int clips) {
        super(classifier, clips);
    }

    @Override
    VideoClassifier.Classification interpret(VideoClassifier.Clips prepared, NDArray logits) {
        int n = prepared.sampled().size();
        int k = classifier.numClasses();
        if (!logits.getShape().equals(new Shape(n, k))) {
            throw new IllegalStateException("the model returned " + logits.getShape() + " for " + n
                    + " clips; expected " + new Shape(n, k) + " logits");
        }
        return classifier.interpret(prepared, Forward.softmaxRows(logits, k));
    }
}

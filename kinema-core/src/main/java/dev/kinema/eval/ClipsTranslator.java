package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.file.Path;

/**
 * A DJL {@code Translator} from a video file to what a model says of its K uniformly spaced
 * centre-cropped clips: the clips are made as {@link VideoClassifier#prepare} makes them and go
 * through the model as one batch; a subclass reads the model's N-row output.
 *
 * @param <O> what a video becomes
 */
abstract class ClipsTranslator<O> implements NoBatchifyTranslator<Path, O> {
    private static final String CLIPS = "kinema.clips";

    final VideoClassifier classifier;
    private final int clips;

    /** @param clips uniformly spaced clips per video */
    ClipsTranslator(VideoClassifier classifier, int clips) {
        if (clips < 1) {
            throw new IllegalArgumentException("clips must be at least 1, got " + clips);
        }
        this.classifier = classifier;
        this.clips = clips;
    }

    @Override
    public final NDList processInput(TranslatorContext ctx, Path video) {
        VideoClassifier.Clips prepared = classifier.prepare(ctx.getNDManager(), video, clips);
        ctx.setAttachment(CLIPS, prepared);
        return new NDList(prepared.batch());
    }

    @Override
    public final O processOutput(TranslatorContext ctx, NDList output) {
        return interpret((VideoClassifier.Clips) ctx.getAttachment(CLIPS), output.singletonOrThrow());
    }

    /** What the model's {@code output} for the {@code prepared} clips (one row per clip) says of the video. */
    abstract O interpret(VideoClassifier.Clips prepared, NDArray output);
}

package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.kinema.data.sampling.SampledClip;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Video features as a DJL {@code Translator}: a video file in, {@link VideoFeatures} out. The clips
 * are made exactly as {@link ClassificationTranslator} makes them ({@link VideoClassifier#prepare});
 * the model must return each clip's pre-logit features, N×D (a block run with
 * {@link dev.kinema.nn.PreLogits#params()}, as {@link Forward#chunked(ai.djl.nn.Block, int,
 * ai.djl.util.PairList)} does).
 */
public final class FeatureTranslator implements NoBatchifyTranslator<Path, VideoFeatures> {
    private static final String CLIPS = "kinema.clips";

    private final VideoClassifier classifier;
    private final int clips;

    /** @param clips uniformly spaced clips per video */
    public FeatureTranslator(VideoClassifier classifier, int clips) {
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
    public VideoFeatures processOutput(TranslatorContext ctx, NDList output) {
        VideoClassifier.Clips prepared = (VideoClassifier.Clips) ctx.getAttachment(CLIPS);
        NDArray features = output.singletonOrThrow();
        List<SampledClip> sampled = prepared.sampled();
        int n = sampled.size();
        if (features.getShape().dimension() != 2 || features.getShape().get(0) != n) {
            throw new IllegalStateException("the model returned " + features.getShape() + " for " + n
                    + " clips; expected N x D pre-logit features");
        }
        int d = Math.toIntExact(features.getShape().get(1));
        float[] flat = features.toFloatArray();
        List<float[]> rows = new ArrayList<>(n);
        List<VideoFeatures.ClipFeatures> perClip = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] row = new float[d];
            System.arraycopy(flat, i * d, row, 0, d);
            rows.add(row);
            SampledClip c = sampled.get(i);
            perClip.add(new VideoFeatures.ClipFeatures(c.startSeconds(), Math.min(c.endSeconds(), prepared.durationSeconds()), row));
        }
        return new VideoFeatures(prepared.video(), Metrics.mean(rows), perClip);
    }
}

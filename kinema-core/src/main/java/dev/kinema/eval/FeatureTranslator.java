package dev.kinema.eval;

import ai.djl.ndarray.NDArray;
import dev.kinema.data.sampling.SampledClip;
import java.util.ArrayList;
import java.util.List;

/**
 * Video features as a DJL {@code Translator}: a video file in, {@link VideoFeatures} out. The clips
 * are made exactly as {@link ClassificationTranslator} makes them ({@link VideoClassifier#prepare});
 * the model must return each clip's pre-logit features, N×D (a block run with
 * {@link dev.kinema.nn.PreLogits#params()}, as {@link Forward#chunked(ai.djl.nn.Block, int,
 * ai.djl.util.PairList)} does).
 */
public final class FeatureTranslator extends ClipsTranslator<VideoFeatures> {
    /** @param clips uniformly spaced clips per video */
    public FeatureTranslator(VideoClassifier classifier, int clips) {
        super(classifier, clips);
    }

    @Override
    VideoFeatures interpret(VideoClassifier.Clips prepared, NDArray features) {
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

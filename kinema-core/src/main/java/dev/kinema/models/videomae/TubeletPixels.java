package dev.kinema.models.videomae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.kinema.engine.Scalars;

/**
 * A clip's pixels per tubelet, what VideoMAE's decoder predicts: N×C×T×H×W to N×L×(t·p·p·C), tokens
 * t-major as the encoder numbers them, each tubelet's values in VideoMAE's order
 * ({@code b c (t p0) (h p1) (w p2) -> b (t h w) (p0 p1 p2 c)}), and back.
 *
 * <p>The normalised-pixel target ({@link #normalised}) standardises each tubelet per channel over
 * its t·p·p values, with the unbiased variance and 1e-6 added to the deviation, as VideoMAE's
 * {@code normlize_target}. Because it is per channel, the clip's own per-channel normalisation
 * (Kinetics mean and deviation) cancels in it, so it may be taken from the model's input.
 */
public final class TubeletPixels {
    /** Added to each tubelet's standard deviation, as VideoMAE. */
    public static final float EPSILON = 1e-6f;

    private final int tubelet;
    private final int patch;

    public TubeletPixels(int tubelet, int patch) {
        this.tubelet = tubelet;
        this.patch = patch;
    }

    /** Clips N×C×T×H×W to tubelets N×L×(t·p·p)×C. */
    private NDArray split(NDArray clips) {
        Shape s = clips.getShape();
        long n = s.get(0), c = s.get(1), t = s.get(2) / tubelet, h = s.get(3) / patch, w = s.get(4) / patch;
        return clips.reshape(n, c, t, tubelet, h, patch, w, patch).transpose(0, 2, 4, 6, 3, 5, 7, 1)
                .reshape(n, t * h * w, (long) tubelet * patch * patch, c);
    }

    /** Clips N×C×T×H×W to their tubelets' pixels N×L×(t·p·p·C), unnormalised. */
    public NDArray of(NDArray clips) {
        Shape s = clips.getShape();
        return split(clips).reshape(s.get(0), -1, (long) tubelet * patch * patch * s.get(1));
    }

    /** The normalised-pixel targets N×L×(t·p·p·C) of clips N×C×T×H×W. */
    public NDArray normalised(NDArray clips) {
        NDArray[] stats = statistics(clips);
        NDArray x = split(clips);
        Shape s = x.getShape();
        return x.sub(stats[0]).div(stats[1]).reshape(s.get(0), s.get(1), s.get(2) * s.get(3));
    }

    /**
     * Per tubelet and channel, the mean and the deviation (unbiased, plus {@link #EPSILON}) of clips
     * N×C×T×H×W, each N×L×1×C: what turns a normalised prediction back into pixels.
     */
    public NDArray[] statistics(NDArray clips) {
        NDArray x = split(clips);
        long count = x.getShape().get(2);
        NDArray mean = x.mean(new int[] {2}, true);
        NDArray variance = Scalars.div(x.sub(mean).square().sum(new int[] {2}, true), count - 1);
        return new NDArray[] {mean, variance.sqrt().add(EPSILON)};
    }

    /**
     * Normalised predictions N×L×(t·p·p·C) back to pixels with the statistics of
     * {@link #statistics}, as N×L×(t·p·p·C).
     */
    public NDArray denormalise(NDArray normalised, NDArray[] stats) {
        Shape s = normalised.getShape();
        long c = stats[0].getShape().get(3);
        return normalised.reshape(s.get(0), s.get(1), -1, c).mul(stats[1]).add(stats[0]).reshape(s);
    }

    /** Tubelet pixels N×L×(t·p·p·C) back to clips N×C×T×H×W on the token grid T'×H'×W'. */
    public NDArray clips(NDArray pixels, long[] grid) {
        Shape s = pixels.getShape();
        long n = s.get(0), c = s.get(2) / ((long) tubelet * patch * patch);
        return pixels.reshape(n, grid[0], grid[1], grid[2], tubelet, patch, patch, c).transpose(0, 7, 1, 4, 2, 5, 3, 6)
                .reshape(n, c, grid[0] * tubelet, grid[1] * patch, grid[2] * patch);
    }
}

package dev.kinema.tasks;

import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Mixup and cutmix of a batch of clips with the batch reversed, as timm's {@code Mixup} in its
 * per-batch mode: one λ ~ Beta(α, α) for the batch; with both enabled, cutmix is chosen with
 * {@code switchProbability}. Mixup blends whole clips, {@code x·λ + flip(x)·(1 − λ)}; cutmix pastes
 * one H×W box of the reversed batch into every frame and channel of each clip (the same box for all
 * frames, so motion inside it stays intact) and corrects λ to the share of the frame left
 * unpasted. Clip {@code i}'s target is then {@code λ·y[i] + (1 − λ)·y[N − 1 − i]}.
 *
 * @param mixupAlpha α of mixup's Beta distribution; 0 disables mixup
 * @param cutmixAlpha α of cutmix's Beta distribution; 0 disables cutmix
 * @param switchProbability the chance of cutmix rather than mixup for a batch when both are enabled
 */
public record MixUp(double mixupAlpha, double cutmixAlpha, double switchProbability) {
    /** Neither mixup nor cutmix. */
    public static final MixUp NONE = new MixUp(0, 0, 0.5);

    public MixUp {
        if (!(mixupAlpha >= 0) || !(cutmixAlpha >= 0) || !Double.isFinite(mixupAlpha) || !Double.isFinite(cutmixAlpha)) {
            throw new IllegalArgumentException("mixup and cutmix alpha must be >= 0, got " + mixupAlpha + " and "
                    + cutmixAlpha);
        }
        if (!(switchProbability >= 0 && switchProbability <= 1)) {
            throw new IllegalArgumentException("the mixup/cutmix switch probability must be in [0, 1], got "
                    + switchProbability);
        }
    }

    public boolean enabled() {
        return mixupAlpha > 0 || cutmixAlpha > 0;
    }

    /**
     * A mixed batch.
     *
     * @param values the mixed clips, in the batch's shape
     * @param lambda the weight of each clip's own target (1 − λ goes to the reversed batch's)
     * @param box the cutmix box {@code [top, bottom, left, right)} in pixels, or null for mixup
     */
    public record Mixed(float[] values, float lambda, int[] box) {}

    /**
     * Mixes a batch of N×...×H×W clips ({@code values} row-major in {@code shape}) with itself
     * reversed; {@code values} is not modified.
     */
    public Mixed apply(float[] values, Shape shape, SplittableRandom rng) {
        if (!enabled()) {
            return new Mixed(values, 1f, null);
        }
        boolean cutmix = cutmixAlpha > 0 && (mixupAlpha <= 0 || rng.nextDouble() < switchProbability);
        double lambda = beta(cutmix ? cutmixAlpha : mixupAlpha, rng);
        int n = (int) shape.get(0);
        int perClip = values.length / n;
        float[] out = new float[values.length];
        if (!cutmix) {
            float lam = (float) lambda;
            float rest = 1f - lam;
            for (int i = 0; i < n; i++) {
                int a = i * perClip;
                int b = (n - 1 - i) * perClip;
                for (int j = 0; j < perClip; j++) {
                    out[a + j] = values[a + j] * lam + values[b + j] * rest;
                }
            }
            return new Mixed(out, lam, null);
        }
        int dims = shape.dimension();
        int h = (int) shape.get(dims - 2);
        int w = (int) shape.get(dims - 1);
        int[] box = box(h, w, lambda, rng);
        System.arraycopy(values, 0, out, 0, values.length);
        int planes = perClip / (h * w);
        for (int i = 0; i < n; i++) {
            int a = i * perClip;
            int b = (n - 1 - i) * perClip;
            for (int p = 0; p < planes; p++) {
                for (int y = box[0]; y < box[1]; y++) {
                    int row = p * h * w + y * w;
                    System.arraycopy(values, b + row + box[2], out, a + row + box[2], box[3] - box[2]);
                }
            }
        }
        float corrected = (float) (1 - (double) (box[1] - box[0]) * (box[3] - box[2]) / ((double) h * w));
        return new Mixed(out, corrected, box);
    }

    /** timm's {@code rand_bbox}: a box of (1 − λ) of the area around a uniform centre, clipped to the frame. */
    static int[] box(int h, int w, double lambda, SplittableRandom rng) {
        double ratio = Math.sqrt(1 - lambda);
        int cutH = (int) (h * ratio);
        int cutW = (int) (w * ratio);
        int cy = rng.nextInt(h);
        int cx = rng.nextInt(w);
        return new int[] {clamp(cy - cutH / 2, h), clamp(cy + cutH / 2, h), clamp(cx - cutW / 2, w),
            clamp(cx + cutW / 2, w)};
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(max, v));
    }

    /** A draw from Beta(α, α), as X / (X + Y) of two Gamma(α) draws. */
    static double beta(double alpha, SplittableRandom rng) {
        double x = gamma(alpha, rng);
        double y = gamma(alpha, rng);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Marsaglia and Tsang's Gamma(α, 1) sampler, boosted for α < 1. */
    private static double gamma(double alpha, SplittableRandom rng) {
        if (alpha < 1) {
            double u = rng.nextDouble();
            return gamma(alpha + 1, rng) * Math.pow(u, 1 / alpha);
        }
        double d = alpha - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = rng.nextGaussian();
            double v = 1 + c * z;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }
}

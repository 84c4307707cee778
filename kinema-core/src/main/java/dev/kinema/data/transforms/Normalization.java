package dev.kinema.data.transforms;

import java.util.Arrays;

/**
 * Per-channel (R, G, B) mean and standard deviation, applied by {@link ToTensor} to values already
 * scaled to [0, 1]: {@code (pixel / 255 - mean[c]) / std[c]}.
 */
public final class Normalization {
    /** PyTorchVideo's Kinetics statistics. */
    public static final Normalization KINETICS = new Normalization(
            new float[] {0.45f, 0.45f, 0.45f}, new float[] {0.225f, 0.225f, 0.225f});
    /** torchvision's ImageNet statistics, for 2D backbones pretrained on ImageNet. */
    public static final Normalization IMAGENET = new Normalization(
            new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f});
    /** Only the scaling to [0, 1]. */
    public static final Normalization NONE = new Normalization(new float[] {0, 0, 0}, new float[] {1, 1, 1});

    private final float[] mean;
    private final float[] std;

    private Normalization(float[] mean, float[] std) {
        this.mean = mean;
        this.std = std;
    }

    /** Custom statistics: three means and three positive standard deviations, on the [0, 1] scale. */
    public static Normalization of(float[] mean, float[] std) {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("need 3 means and 3 stds (R, G, B), got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std must be positive and finite, got " + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("mean must be finite, got " + Arrays.toString(mean));
            }
        }
        return new Normalization(mean.clone(), std.clone());
    }

    /** The same statistic for all three channels. */
    public static Normalization of(float mean, float std) {
        return of(new float[] {mean, mean, mean}, new float[] {std, std, std});
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /** The normalised value of byte value {@code v} (0..255) in channel {@code c}. */
    public float apply(int c, int v) {
        return ((float) v / 255f - mean[c]) / std[c];
    }

    /** {@code lut[c][v]}: every normalised value, so converting a clip is one table look-up per byte. */
    float[][] table() {
        float[][] lut = new float[3][256];
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c][v] = apply(c, v);
            }
        }
        return lut;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
    }
}

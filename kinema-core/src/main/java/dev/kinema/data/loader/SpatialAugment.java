package dev.kinema.data.loader;

import java.util.Random;

/**
 * The crop and flip of a float clip C×T×H×W, drawn once per clip and applied to every channel, so
 * frames and flow fields of a two-stream clip are cut from the same window. A horizontal flip mirrors
 * every plane and negates the horizontal flow channel: a point moving right moves left in the mirror.
 *
 * @param size crop side in pixels, or 0 for no crop
 * @param randomCrop a random window (training) rather than the centre one
 * @param flipProbability probability of a horizontal flip per clip
 */
public record SpatialAugment(int size, boolean randomCrop, double flipProbability) {
    public SpatialAugment {
        if (size < 0) {
            throw new IllegalArgumentException("crop size must be >= 0, got " + size);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
    }

    /** No crop and no flip: clips keep the decoded size (evaluation crops them itself). */
    public static SpatialAugment none() {
        return new SpatialAugment(0, false, 0);
    }

    /** Training: a random {@code size}×{@code size} window, flipped with probability {@code flip}. */
    public static SpatialAugment random(int size, double flip) {
        return new SpatialAugment(size, true, flip);
    }

    /** The centred {@code size}×{@code size} window (PyTorchVideo's centre, as {@code Crop.center}). */
    public static SpatialAugment center(int size) {
        return new SpatialAugment(size, false, 0);
    }

    /**
     * Crops and flips {@code clip} (C×T×H×W floats); {@code dxChannel} is the horizontal-flow channel
     * negated by a flip, or -1 when there is none. Draws from {@code rng} in a fixed order: crop row,
     * crop column, flip.
     */
    public float[] apply(float[] clip, int channels, int frames, int height, int width, int dxChannel, Random rng) {
        int h = size == 0 ? height : size;
        int w = size == 0 ? width : size;
        if (h > height || w > width) {
            throw new IllegalArgumentException("cannot crop " + w + "x" + h + " from frames of " + width + "x" + height);
        }
        int y;
        int x;
        if (randomCrop) {
            y = rng.nextInt(height - h + 1);
            x = rng.nextInt(width - w + 1);
        } else {
            y = (height - h + 1) / 2;
            x = (width - w + 1) / 2;
        }
        boolean flip = flipProbability >= 1 || (flipProbability > 0 && rng.nextDouble() < flipProbability);
        if (!flip && h == height && w == width) {
            return clip;
        }
        float[] out = new float[channels * frames * h * w];
        int o = 0;
        for (int c = 0; c < channels; c++) {
            float sign = flip && c == dxChannel ? -1f : 1f;
            for (int t = 0; t < frames; t++) {
                int plane = (c * frames + t) * height * width;
                for (int r = 0; r < h; r++) {
                    int row = plane + (y + r) * width + x;
                    if (flip) {
                        for (int k = 0; k < w; k++) {
                            out[o++] = sign * clip[row + w - 1 - k];
                        }
                    } else {
                        System.arraycopy(clip, row, out, o, w);
                        o += w;
                    }
                }
            }
        }
        return out;
    }
}

package dev.kinema.explain;

/** Arithmetic on T×H×W maps (row-major): normalisation, per-frame and per-box sums (resizing: {@link dev.kinema.viz.MapResize}). */
public final class Maps {
    private Maps() {}

    /** mmaction2's min–max normalisation: {@code (v - min) / (max - min + 1e-6)}, as floats in [0, 1]. */
    public static float[] normalise(double[] values) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) ((values[i] - min) / (max - min + GradCam.EPSILON));
        }
        return out;
    }

    /** The mean of {@code map} over each of its {@code frames} frames of {@code plane} values. */
    public static double[] perFrame(float[] map, int frames, int plane) {
        double[] out = new double[frames];
        for (int t = 0; t < frames; t++) {
            out[t] = frameSum(map, t, plane) / plane;
        }
        return out;
    }

    /**
     * The sum of frame {@code t} of {@code map} (T×H×W) over the pixels whose centres lie in the box
     * [x0, x1)×[y0, y1) (pixels, clipped to the frame).
     */
    public static double boxSum(float[] map, int t, int height, int width, double x0, double y0, double x1, double y1) {
        int plane = height * width;
        double sum = 0;
        for (int y = Math.max(0, (int) Math.ceil(y0 - 0.5)); y < Math.min(height, (int) Math.ceil(y1 - 0.5)); y++) {
            for (int x = Math.max(0, (int) Math.ceil(x0 - 0.5)); x < Math.min(width, (int) Math.ceil(x1 - 0.5)); x++) {
                sum += map[t * plane + y * width + x];
            }
        }
        return sum;
    }

    /** The sum of frame {@code t} of {@code map}. */
    public static double frameSum(float[] map, int t, int plane) {
        double sum = 0;
        for (int p = 0; p < plane; p++) {
            sum += map[t * plane + p];
        }
        return sum;
    }
}

package dev.kinema.explain;

/** Arithmetic on T×H×W maps (row-major): resizing, normalisation, per-frame and per-box sums. */
public final class Maps {
    private Maps() {}

    /**
     * Trilinear resize of {@code in} (T×H×W) to outT×outH×outW as PyTorch's
     * {@code F.interpolate(mode='trilinear', align_corners=False)}: source coordinate
     * {@code (d + 0.5)·in/out - 0.5}, clamped at 0, linear between its two neighbours on each axis.
     */
    public static double[] trilinear(double[] in, int t, int h, int w, int outT, int outH, int outW) {
        Axis at = new Axis(t, outT);
        Axis ah = new Axis(h, outH);
        Axis aw = new Axis(w, outW);
        double[] out = new double[outT * outH * outW];
        int o = 0;
        for (int z = 0; z < outT; z++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double v = 0;
                    for (int a = 0; a < 2; a++) {
                        double fa = a == 0 ? 1 - at.lambda[z] : at.lambda[z];
                        int ti = a == 0 ? at.lo[z] : at.hi[z];
                        for (int b = 0; b < 2; b++) {
                            double fb = b == 0 ? 1 - ah.lambda[y] : ah.lambda[y];
                            int yi = b == 0 ? ah.lo[y] : ah.hi[y];
                            for (int c = 0; c < 2; c++) {
                                double fc = c == 0 ? 1 - aw.lambda[x] : aw.lambda[x];
                                int xi = c == 0 ? aw.lo[x] : aw.hi[x];
                                v += fa * fb * fc * in[(ti * h + yi) * w + xi];
                            }
                        }
                    }
                    out[o++] = v;
                }
            }
        }
        return out;
    }

    /** One axis of a resize: each output index's two source neighbours and the weight of the upper one. */
    private static final class Axis {
        final int[] lo;
        final int[] hi;
        final double[] lambda;

        Axis(int in, int out) {
            lo = new int[out];
            hi = new int[out];
            lambda = new double[out];
            double scale = (double) in / out;
            for (int d = 0; d < out; d++) {
                double src = Math.max(0, scale * (d + 0.5) - 0.5);
                lo[d] = Math.min((int) src, in - 1);
                hi[d] = Math.min(lo[d] + 1, in - 1);
                lambda[d] = src - lo[d];
            }
        }
    }

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

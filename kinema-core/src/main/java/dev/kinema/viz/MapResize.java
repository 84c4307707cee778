package dev.kinema.viz;

/**
 * Resizing of T×H×W maps (row-major), for drawing a model's coarse maps over its frames: Grad-CAM's
 * saliency, the audio-visual correspondence heat map.
 */
public final class MapResize {
    private MapResize() {}

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
}

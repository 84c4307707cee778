package dev.kinema.viz;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * A spectrogram (or any rows-by-columns map of floats) as a picture: row 0 (the lowest frequency) at
 * the bottom, time to the right, values scaled from their minimum to their maximum on a dark-to-bright
 * "inferno"-like colour ramp, each cell {@code scale} pixels square.
 */
public final class SpectrogramImage {
    /** Stops of the colour ramp: black, purple, red, orange, pale yellow (close to matplotlib's inferno). */
    private static final int[][] RAMP = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};

    private SpectrogramImage() {}

    /** {@code values} row-major, {@code rows x cols}. */
    public static BufferedImage render(float[] values, int rows, int cols, int scale) {
        if ((long) rows * cols != values.length || rows < 1 || cols < 1 || scale < 1) {
            throw new IllegalArgumentException("cannot draw " + values.length + " values as " + rows + "x" + cols + " at scale " + scale);
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : values) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        double range = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(cols * scale, rows * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = values[r * cols + c];
                int rgb = colour(Float.isFinite(v) ? (v - lo) / range : 0);
                int y0 = (rows - 1 - r) * scale;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(c * scale + dx, y0 + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    /** Renders and writes a PNG atomically; returns its absolute path. */
    public static Path writePng(float[] values, int rows, int cols, int scale, Path png) {
        return Images.writePng(render(values, rows, cols, scale), png);
    }

    /** The ramp's colour at {@code t} in [0, 1], as 0xRRGGBB. */
    static int colour(double t) {
        double x = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) x);
        double f = x - i;
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) {
            rgb = (rgb << 8) | (int) Math.round(RAMP[i][ch] + f * (RAMP[i + 1][ch] - RAMP[i][ch]));
        }
        return rgb;
    }
}

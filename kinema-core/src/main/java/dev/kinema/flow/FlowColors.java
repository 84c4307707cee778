package dev.kinema.flow;

import dev.kinema.video.VideoFrames;
import java.awt.Color;
import java.util.Arrays;

/**
 * Flow fields as pictures on the HSV colour wheel, the usual way to look at dense flow: the hue is
 * the direction of motion, the saturation its magnitude relative to a common maximum, the value is
 * full. A still pixel is white; motion to the right (+x) is red, down (+y, image rows grow
 * downwards) yellow-green, left cyan, up violet; the stronger, the more saturated.
 *
 * <p>The maximum is robust ({@link #robustMax}: the 99th percentile of the magnitudes), so a few
 * wild vectors do not wash everything else out; larger magnitudes saturate.
 */
public final class FlowColors {
    private FlowColors() {}

    /**
     * The 99th percentile of the flow magnitudes over all fields of {@code flow} (at least 0.5 px,
     * so that noise on a still video stays pale).
     */
    public static float robustMax(FlowVideo flow) {
        int plane = flow.height() * flow.width();
        float[] all = FlowVideos.all(flow);
        float[] mag = new float[flow.fields() * plane];
        for (int f = 0; f < flow.fields(); f++) {
            int base = f * 2 * plane;
            for (int p = 0; p < plane; p++) {
                mag[f * plane + p] = (float) Math.hypot(all[base + p], all[base + plane + p]);
            }
        }
        if (mag.length == 0) {
            return 1f;
        }
        Arrays.sort(mag);
        return Math.max(0.5f, mag[(int) Math.min(mag.length - 1, Math.floor(0.99 * mag.length))]);
    }

    /** Field {@code k} of {@code flow} as H×W×3 RGB bytes, magnitudes divided by {@code max}. */
    public static byte[] render(FlowVideo flow, int k, float max) {
        int plane = flow.height() * flow.width();
        float[] field = new float[2 * plane];
        flow.copy(k, 1, field, 0);
        byte[] rgb = new byte[plane * 3];
        for (int p = 0; p < plane; p++) {
            int c = color(field[p], field[plane + p], max);
            rgb[p * 3] = (byte) (c >> 16);
            rgb[p * 3 + 1] = (byte) (c >> 8);
            rgb[p * 3 + 2] = (byte) c;
        }
        return rgb;
    }

    /** The colour of motion (dx, dy) as 0xRRGGBB. */
    public static int color(float dx, float dy, float max) {
        double angle = Math.atan2(dy, dx);
        float hue = (float) ((angle < 0 ? angle + 2 * Math.PI : angle) / (2 * Math.PI));
        float saturation = (float) Math.min(1.0, Math.hypot(dx, dy) / max);
        return Color.HSBtoRGB(hue, saturation, 1f) & 0xffffff;
    }

    /**
     * Paints the key, the colour wheel itself (a disc of {@code diameter} pixels whose rim is the
     * saturation limit), into the W-wide RGB image {@code rgb} with its top-left corner at (x0, y0).
     */
    static void paintWheel(byte[] rgb, int width, int x0, int y0, int diameter) {
        float r = diameter / 2f;
        for (int y = 0; y < diameter; y++) {
            for (int x = 0; x < diameter; x++) {
                float dx = x + 0.5f - r;
                float dy = y + 0.5f - r;
                if (dx * dx + dy * dy > r * r) {
                    continue;
                }
                int c = color(dx, dy, r);
                int o = ((y0 + y) * width + x0 + x) * 3;
                rgb[o] = (byte) (c >> 16);
                rgb[o + 1] = (byte) (c >> 8);
                rgb[o + 2] = (byte) c;
            }
        }
    }

    /**
     * Each frame of {@code frames} next to the colour picture of the field that starts at it: a new
     * stack of min(frames, fields) panels, each (2W + gap)×H, the frame on the left. Frames and flow
     * must have the same size. A small colour wheel in the flow picture's lower right corner is the key.
     */
    public static VideoFrames sideBySide(VideoFrames frames, FlowVideo flow, float max) {
        int h = frames.height();
        int w = frames.width();
        if (flow.height() != h || flow.width() != w) {
            throw new IllegalArgumentException("frames are " + w + "x" + h + ", flow " + flow.width() + "x" + flow.height());
        }
        int gap = Math.max(2, w / 40);
        int pw = 2 * w + gap;
        int n = Math.min(frames.frames(), flow.fields());
        byte[] out = new byte[n * h * pw * 3];
        Arrays.fill(out, (byte) 0x20);
        for (int t = 0; t < n; t++) {
            byte[] colors = render(flow, t, max);
            int key = Math.min(h, w) / 5;
            if (key >= 12) {
                paintWheel(colors, w, w - key - 2, h - key - 2, key);
            }
            byte[] src = frames.rgb();
            for (int y = 0; y < h; y++) {
                int row = (t * h + y) * pw * 3;
                System.arraycopy(src, frames.offset(t, y, 0), out, row, w * 3);
                System.arraycopy(colors, y * w * 3, out, row + (w + gap) * 3, w * 3);
            }
        }
        int[] idx = new int[n];
        double[] times = new double[n];
        for (int t = 0; t < n; t++) {
            idx[t] = frames.sourceIndex(t);
            times[t] = frames.timestamp(t);
        }
        return new VideoFrames(out, n, h, pw, idx, times);
    }
}

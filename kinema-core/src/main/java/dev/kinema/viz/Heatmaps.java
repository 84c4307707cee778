package dev.kinema.viz;

import dev.kinema.video.VideoFrames;

/**
 * Heat maps over frames: a T×H×W map of values in [0, 1] (a Grad-CAM, a saliency map) coloured
 * with the jet colour map, as mmaction2's Grad-CAM demo and the Grad-CAM paper show them, and
 * blended over the clip.
 *
 * <pre>{@code
 * VideoFrames overlay = Heatmaps.overlay(clip, cam, 0.5);
 * new GifWriter(5).write(overlay, Path.of("gradcam.gif"));
 * }</pre>
 */
public final class Heatmaps {
    private Heatmaps() {}

    /** The jet colour of {@code v} in [0, 1] (clamped) as 0xRRGGBB: dark blue, cyan, yellow, dark red. */
    public static int jet(double v) {
        double x = Math.max(0, Math.min(1, v));
        int r = channel(1.5 - Math.abs(4 * x - 3));
        int g = channel(1.5 - Math.abs(4 * x - 2));
        int b = channel(1.5 - Math.abs(4 * x - 1));
        return r << 16 | g << 8 | b;
    }

    private static int channel(double v) {
        return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
    }

    /**
     * The frames of {@code clip} with the jet colours of {@code map} (T×H×W row-major, values in
     * [0, 1], the clip's own size) blended in: {@code (1 - alpha)·frame + alpha·colour}.
     */
    public static VideoFrames overlay(VideoFrames clip, float[] map, double alpha) {
        int t = clip.frames();
        int plane = clip.height() * clip.width();
        if (map.length != t * plane) {
            throw new IllegalArgumentException("a map of " + map.length + " values for " + t + " frames of "
                    + clip.width() + "x" + clip.height());
        }
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new IllegalArgumentException("alpha must be in [0, 1], got " + alpha);
        }
        byte[] src = clip.rgb();
        byte[] out = new byte[src.length];
        for (int i = 0; i < map.length; i++) {
            int c = jet(map[i]);
            for (int k = 0; k < 3; k++) {
                int colour = c >> (16 - 8 * k) & 0xff;
                out[i * 3 + k] = (byte) Math.round((1 - alpha) * (src[i * 3 + k] & 0xff) + alpha * colour);
            }
        }
        return clip.withPixels(out, clip.height(), clip.width());
    }

    /** The jet colours of {@code map} alone (T×H×W, values in [0, 1]) as frames. */
    public static VideoFrames colours(float[] map, int frames, int height, int width) {
        if (map.length != frames * height * width) {
            throw new IllegalArgumentException("a map of " + map.length + " values is not " + frames + "x" + height + "x" + width);
        }
        byte[] out = new byte[map.length * 3];
        for (int i = 0; i < map.length; i++) {
            int c = jet(map[i]);
            out[i * 3] = (byte) (c >> 16);
            out[i * 3 + 1] = (byte) (c >> 8);
            out[i * 3 + 2] = (byte) c;
        }
        return new VideoFrames(out, frames, height, width);
    }

    /** Frames side by side, left to right, each stack the same size and length: e.g. input, Grad-CAM, saliency. */
    public static VideoFrames sideBySide(VideoFrames... panels) {
        VideoFrames first = panels[0];
        int h = first.height();
        int w = first.width();
        int n = first.frames();
        int gap = Math.max(2, w / 32);
        int pw = panels.length * w + (panels.length - 1) * gap;
        byte[] out = new byte[n * h * pw * 3];
        java.util.Arrays.fill(out, (byte) 0xff);
        for (int p = 0; p < panels.length; p++) {
            VideoFrames f = panels[p];
            if (f.height() != h || f.width() != w || f.frames() != n) {
                throw new IllegalArgumentException("panels differ in size: " + n + "x" + h + "x" + w + " and "
                        + f.frames() + "x" + f.height() + "x" + f.width());
            }
            for (int t = 0; t < n; t++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(f.rgb(), f.offset(t, y, 0), out, ((t * h + y) * pw + p * (w + gap)) * 3, w * 3);
                }
            }
        }
        return first.withPixels(out, h, pw);
    }

    /**
     * Nearest-neighbour enlargement by a whole {@code factor}, so small clips (56×56) are big enough
     * to look at in a page or a GIF without blurring their pixels.
     */
    public static VideoFrames enlarge(VideoFrames clip, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1, got " + factor);
        }
        if (factor == 1) {
            return clip;
        }
        int h = clip.height() * factor;
        int w = clip.width() * factor;
        byte[] out = new byte[clip.frames() * h * w * 3];
        byte[] src = clip.rgb();
        for (int t = 0; t < clip.frames(); t++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    System.arraycopy(src, clip.offset(t, y / factor, x / factor), out, ((t * h + y) * w + x) * 3, 3);
                }
            }
        }
        return clip.withPixels(out, h, w);
    }
}

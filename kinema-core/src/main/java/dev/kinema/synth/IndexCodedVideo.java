package dev.kinema.synth;

import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoWriter;
import java.nio.file.Path;

/**
 * Test videos whose every frame shows its own index as a 4×4 grid of black and white cells
 * (16 bits, most significant first, row by row), so a test can tell exactly which frames a
 * decoder returned, even after lossy compression and resizing down to 16×16 pixels.
 *
 * <p>Cells sit on a mid-grey border so a crop or flip that moves them is visible too.
 */
public final class IndexCodedVideo {
    public static final int BITS = 16;
    private static final int GRID = 4;

    private IndexCodedVideo() {}

    /** Writes {@code frames} frames of {@code width}×{@code height} at {@code fps} to {@code path}. */
    public static void write(Path path, int frames, int width, int height, double fps) {
        write(VideoWriter.builder(path).setSize(width, height).optFps(fps), frames);
    }

    /** Writes with a caller-configured writer (codec, GOP size, audio...). */
    public static void write(VideoWriter.Builder writer, int frames) {
        try (VideoWriter w = writer.build()) {
            for (int i = 0; i < frames; i++) {
                w.writeFrame(render(i, w.width(), w.height()));
            }
        }
    }

    /** The H×W×3 RGB picture for frame {@code index}. */
    public static byte[] render(int index, int width, int height) {
        if (index < 0 || index >= (1 << BITS)) {
            throw new IllegalArgumentException("index out of range: " + index);
        }
        byte[] rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int bit = cellAt(x, width, y, height);
                int v = bit < 0 ? 128 : ((index >> (BITS - 1 - bit)) & 1) * 255;
                int o = (y * width + x) * 3;
                rgb[o] = (byte) v;
                rgb[o + 1] = (byte) v;
                rgb[o + 2] = (byte) v;
            }
        }
        return rgb;
    }

    /** Reads back the index that frame {@code t} of {@code clip} shows. */
    public static int decode(VideoFrames clip, int t) {
        int w = clip.width();
        int h = clip.height();
        int index = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int row = bit / GRID;
            int col = bit % GRID;
            // The centre of the cell: far from the edges, where compression smears neighbours.
            int cx = (int) ((col + 0.5) / GRID * w);
            int cy = (int) ((row + 0.5) / GRID * h);
            int x0 = (int) ((col + 0.3) / GRID * w);
            int x1 = Math.max(x0 + 1, (int) ((col + 0.7) / GRID * w));
            int y0 = (int) ((row + 0.3) / GRID * h);
            int y1 = Math.max(y0 + 1, (int) ((row + 0.7) / GRID * h));
            long sum = 0;
            int n = 0;
            for (int y = y0; y < y1; y++) {
                for (int x = x0; x < x1; x++) {
                    sum += clip.get(t, y, x, 1);
                    n++;
                }
            }
            if (n == 0) {
                sum = clip.get(t, cy, cx, 1);
                n = 1;
            }
            if (sum / n > 128) {
                index |= 1 << (BITS - 1 - bit);
            }
        }
        return index;
    }

    /** Indices shown by every frame of {@code clip}. */
    public static int[] decodeAll(VideoFrames clip) {
        int[] out = new int[clip.frames()];
        for (int t = 0; t < out.length; t++) {
            out[t] = decode(clip, t);
        }
        return out;
    }

    /** Which bit's cell pixel (x, y) falls in, or -1 for the grey gaps between cells. */
    private static int cellAt(int x, int width, int y, int height) {
        double fx = (double) x * GRID / width;
        double fy = (double) y * GRID / height;
        int col = (int) fx;
        int row = (int) fy;
        double inX = fx - col;
        double inY = fy - row;
        if (inX < 0.1 || inX > 0.9 || inY < 0.1 || inY > 0.9) {
            return -1;
        }
        return row * GRID + col;
    }
}

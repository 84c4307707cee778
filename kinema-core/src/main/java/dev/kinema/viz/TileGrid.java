package dev.kinema.viz;

import dev.kinema.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;

/**
 * Many small clips of one size (a layer's filters, each kh×kw over kt frames) laid out in a grid,
 * each pixel enlarged to a square block so a 3×3 kernel is big enough to see:
 * <ul>
 *   <li>{@link #strips}: one picture; each tile is a strip of its kt frames left to right;</li>
 *   <li>{@link #animate}: kt frames (for a looping GIF); each tile plays its own frames.</li>
 * </ul>
 * Tiles are separated by a gap of {@code background}, left to right then top to bottom.
 */
public final class TileGrid {
    private final int pixel;
    private final int gap;
    private final int background;

    /**
     * @param pixel the side of the block each source pixel becomes
     * @param gap pixels between tiles
     * @param background the colour of the gaps, 0xRRGGBB
     */
    public TileGrid(int pixel, int gap, int background) {
        if (pixel < 1 || gap < 0) {
            throw new IllegalArgumentException("pixel must be >= 1 and gap >= 0, got " + pixel + " and " + gap);
        }
        this.pixel = pixel;
        this.gap = gap;
        this.background = background;
    }

    /** Columns of a grid of {@code n} tiles {@code tileWidth}×{@code tileHeight} that is about as wide as tall. */
    static int columns(int n, int tileWidth, int tileHeight) {
        return Math.max(1, (int) Math.round(Math.sqrt(n * (double) tileHeight / tileWidth)));
    }

    /** Every clip as a strip of its frames, in a grid of strips: one picture. */
    public BufferedImage strips(List<VideoFrames> clips) {
        VideoFrames first = check(clips);
        int stripW = first.frames() * (first.width() * pixel + 1) - 1;
        int tileH = first.height() * pixel;
        int cols = columns(clips.size(), stripW, tileH);
        int rows = (clips.size() + cols - 1) / cols;
        BufferedImage img = canvas(cols * (stripW + gap) + gap, rows * (tileH + gap) + gap);
        for (int i = 0; i < clips.size(); i++) {
            int x0 = gap + (i % cols) * (stripW + gap);
            int y0 = gap + (i / cols) * (tileH + gap);
            for (int t = 0; t < first.frames(); t++) {
                paint(img, clips.get(i), t, x0 + t * (first.width() * pixel + 1), y0);
            }
        }
        return img;
    }

    /** Frame t of every clip in a grid, for each t: an animation as long as the clips. */
    public VideoFrames animate(List<VideoFrames> clips) {
        VideoFrames first = check(clips);
        int tileW = first.width() * pixel;
        int tileH = first.height() * pixel;
        int cols = columns(clips.size(), tileW, tileH);
        int rows = (clips.size() + cols - 1) / cols;
        int w = cols * (tileW + gap) + gap;
        int h = rows * (tileH + gap) + gap;
        byte[] rgb = new byte[first.frames() * h * w * 3];
        for (int t = 0; t < first.frames(); t++) {
            BufferedImage img = canvas(w, h);
            for (int i = 0; i < clips.size(); i++) {
                paint(img, clips.get(i), t, gap + (i % cols) * (tileW + gap), gap + (i / cols) * (tileH + gap));
            }
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            for (int p = 0; p < argb.length; p++) {
                int o = (t * h * w + p) * 3;
                rgb[o] = (byte) (argb[p] >> 16);
                rgb[o + 1] = (byte) (argb[p] >> 8);
                rgb[o + 2] = (byte) argb[p];
            }
        }
        return new VideoFrames(rgb, first.frames(), h, w);
    }

    private BufferedImage canvas(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] fill = new int[w * h];
        Arrays.fill(fill, background);
        img.setRGB(0, 0, w, h, fill, 0, w);
        return img;
    }

    private void paint(BufferedImage img, VideoFrames clip, int t, int x0, int y0) {
        for (int y = 0; y < clip.height(); y++) {
            for (int x = 0; x < clip.width(); x++) {
                int o = clip.offset(t, y, x);
                byte[] rgb = clip.rgb();
                int c = (rgb[o] & 0xff) << 16 | (rgb[o + 1] & 0xff) << 8 | (rgb[o + 2] & 0xff);
                for (int dy = 0; dy < pixel; dy++) {
                    for (int dx = 0; dx < pixel; dx++) {
                        img.setRGB(x0 + x * pixel + dx, y0 + y * pixel + dy, c);
                    }
                }
            }
        }
    }

    private static VideoFrames check(List<VideoFrames> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no tiles");
        }
        VideoFrames first = clips.get(0);
        for (VideoFrames c : clips) {
            if (c.frames() != first.frames() || c.height() != first.height() || c.width() != first.width()) {
                throw new IllegalArgumentException("tiles differ in size: " + first + " and " + c);
            }
        }
        return first;
    }
}

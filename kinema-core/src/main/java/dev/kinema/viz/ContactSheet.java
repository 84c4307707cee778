package dev.kinema.viz;

import dev.kinema.io.AtomicFiles;

import dev.kinema.video.VideoFrames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A clip's frames laid out in a grid, left to right then top to bottom, as one PNG: the quickest
 * way to see what a sampler and a transform pipeline really produced.
 *
 * <p>Frames are separated (and framed) by a {@code gap} of background colour. With captions on,
 * each frame has a band below it with {@code "#<source index> t=<seconds>s"} (the time is left out
 * when unknown), drawn in a built-in pixel font so the output is the same on every machine. Frame
 * pixels are copied unchanged: frame {@code k}'s pixel (x, y) is at
 * {@code (grid.x(k) + x, grid.y(k) + y)} in the sheet.
 *
 * <pre>{@code
 * ContactSheet.builder().optColumns(4).build().write(clip, Path.of("sheet.png"));
 * }</pre>
 */
public final class ContactSheet {
    private final int columns;
    private final int gap;
    private final boolean captions;
    private final int background;
    private final int textColor;

    private ContactSheet(Builder b) {
        this.columns = b.columns;
        this.gap = b.gap;
        this.captions = b.captions;
        this.background = b.background;
        this.textColor = b.textColor;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default sheet: about square, 2-pixel gaps, captions on. */
    public static ContactSheet defaults() {
        return builder().build();
    }

    /**
     * Where everything goes for a clip of {@code frames} frames of {@code width}×{@code height}.
     *
     * @param captionHeight height of the caption band under each frame, 0 without captions
     */
    public record Grid(int frames, int columns, int rows, int frameWidth, int frameHeight,
                       int captionHeight, int captionScale, int gap) {
        /** Width of the whole sheet. */
        public int width() {
            return columns * frameWidth + (columns + 1) * gap;
        }

        /** Height of the whole sheet. */
        public int height() {
            return rows * (frameHeight + captionHeight) + (rows + 1) * gap;
        }

        /** Left edge of frame {@code k}. */
        public int x(int k) {
            return gap + (k % columns) * (frameWidth + gap);
        }

        /** Top edge of frame {@code k}. */
        public int y(int k) {
            return gap + (k / columns) * (frameHeight + captionHeight + gap);
        }
    }

    /** The layout this sheet uses for a clip of that shape. */
    public Grid grid(int frames, int height, int width) {
        if (frames <= 0) {
            throw new IllegalArgumentException("a contact sheet needs at least one frame");
        }
        int cols = columns > 0 ? Math.min(columns, frames) : (int) Math.ceil(Math.sqrt(frames));
        int rows = (frames + cols - 1) / cols;
        int scale = Math.max(1, Math.min(3, width / 80));
        int capH = captions ? PixelFont.GLYPH_H * scale + 4 : 0;
        return new Grid(frames, cols, rows, width, height, capH, scale, gap);
    }

    /** The caption of frame {@code t}: source index and, when known, timestamp. */
    public static String caption(VideoFrames clip, int t) {
        double ts = clip.timestamp(t);
        String s = "#" + clip.sourceIndex(t);
        return Double.isNaN(ts) ? s : s + String.format(Locale.ROOT, " t=%.2fs", ts);
    }

    /** The sheet as an image. */
    public BufferedImage render(VideoFrames clip) {
        Grid g = grid(clip.frames(), clip.height(), clip.width());
        BufferedImage sheet = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_INT_RGB);
        int[] row = new int[g.width()];
        Arrays.fill(row, background);
        for (int y = 0; y < g.height(); y++) {
            sheet.setRGB(0, y, g.width(), 1, row, 0, g.width());
        }
        for (int k = 0; k < clip.frames(); k++) {
            int x0 = g.x(k);
            int y0 = g.y(k);
            BufferedImage frame = Images.frame(clip, k);
            int[] px = frame.getRGB(0, 0, clip.width(), clip.height(), null, 0, clip.width());
            sheet.setRGB(x0, y0, clip.width(), clip.height(), px, 0, clip.width());
            if (captions) {
                PixelFont.draw(sheet, caption(clip, k), x0 + 1, y0 + clip.height() + 2,
                        g.captionScale(), textColor, x0 + clip.width());
            }
        }
        return sheet;
    }

    /** Writes the sheet as PNG to {@code png} (atomically) and returns its absolute path. */
    public Path write(VideoFrames clip, Path png) {
        BufferedImage img = render(clip);
        try {
            return AtomicFiles.write(png, out -> Images.write(img, "png", out));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png + ": " + e.getMessage(), e);
        }
    }

    public static final class Builder {
        private int columns;
        private int gap = 2;
        private boolean captions = true;
        private int background = 0x202020;
        private int textColor = 0xffffff;

        private Builder() {}

        /** Frames per row; 0 (the default) picks {@code ceil(sqrt(T))} for a roughly square sheet. */
        public Builder optColumns(int columns) {
            if (columns < 0) {
                throw new IllegalArgumentException("columns must be >= 0, got " + columns);
            }
            this.columns = columns;
            return this;
        }

        /** Pixels of background between frames and around the edge; default 2. */
        public Builder optGap(int gap) {
            if (gap < 0) {
                throw new IllegalArgumentException("gap must be >= 0, got " + gap);
            }
            this.gap = gap;
            return this;
        }

        /** Caption band under each frame; default on. */
        public Builder optCaptions(boolean captions) {
            this.captions = captions;
            return this;
        }

        /** Background as 0xRRGGBB; default 0x202020. */
        public Builder optBackground(int rgb) {
            this.background = rgb & 0xffffff;
            return this;
        }

        /** Caption colour as 0xRRGGBB; default white. */
        public Builder optTextColor(int rgb) {
            this.textColor = rgb & 0xffffff;
            return this;
        }

        public ContactSheet build() {
            return new ContactSheet(this);
        }
    }
}

package dev.kinema.viz;

import dev.kinema.video.VideoFrames;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Boxes with captions drawn on frames, for detection overlays: each box outlined in its colour, its
 * caption lines on a filled band above it (below its top edge when there is no room). The frames
 * are copied; the result is a clip a {@link GifWriter} writes.
 */
public final class BoxOverlay {
    private static final Color[] COLORS = {new Color(0xe6194b), new Color(0x3cb44b), new Color(0x4363d8),
            new Color(0xf58231), new Color(0x911eb4), new Color(0x42d4f4), new Color(0xf032e6), new Color(0xbfef45)};

    private BoxOverlay() {}

    /**
     * A box to draw.
     *
     * @param x1 left edge, as a share of the frame's width (likewise the others)
     * @param lines its caption, one line each (may be empty)
     * @param color which of the overlay's colours (an actor's id keeps its colour across frames)
     */
    public record Box(double x1, double y1, double x2, double y2, List<String> lines, int color) {
        public Box {
            lines = List.copyOf(lines);
        }
    }

    /** {@code frames} with frame t's boxes, {@code boxes.get(t)}, drawn on it. */
    public static VideoFrames draw(VideoFrames frames, List<List<Box>> boxes) {
        if (boxes.size() != frames.frames()) {
            throw new IllegalArgumentException(frames.frames() + " frames need as many box lists, got " + boxes.size());
        }
        int w = frames.width();
        int h = frames.height();
        byte[] out = new byte[frames.rgb().length];
        int fontSize = Math.max(9, Math.min(14, h / 24));
        for (int t = 0; t < frames.frames(); t++) {
            BufferedImage img = Images.frame(frames, t);
            Graphics2D g = img.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
                g.setStroke(new BasicStroke(Math.max(1, h / 160f)));
                FontMetrics fm = g.getFontMetrics();
                for (Box b : boxes.get(t)) {
                    Color c = COLORS[Math.floorMod(b.color(), COLORS.length)];
                    int x1 = (int) Math.round(b.x1() * w);
                    int y1 = (int) Math.round(b.y1() * h);
                    int x2 = (int) Math.round(b.x2() * w);
                    int y2 = (int) Math.round(b.y2() * h);
                    g.setColor(c);
                    g.drawRect(x1, y1, Math.max(1, x2 - x1), Math.max(1, y2 - y1));
                    int lineHeight = fm.getHeight();
                    int band = lineHeight * b.lines().size();
                    int top = y1 - band >= 0 ? y1 - band : y1;
                    for (int i = 0; i < b.lines().size(); i++) {
                        String line = b.lines().get(i);
                        int y = top + i * lineHeight;
                        g.setColor(c);
                        g.fillRect(x1, y, fm.stringWidth(line) + 4, lineHeight);
                        g.setColor(Color.WHITE);
                        g.drawString(line, x1 + 2, y + fm.getAscent());
                    }
                }
            } finally {
                g.dispose();
            }
            int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
            int o = frames.offset(t, 0, 0);
            for (int p : argb) {
                out[o++] = (byte) (p >> 16);
                out[o++] = (byte) (p >> 8);
                out[o++] = (byte) p;
            }
        }
        return new VideoFrames(out, frames.frames(), h, w);
    }
}

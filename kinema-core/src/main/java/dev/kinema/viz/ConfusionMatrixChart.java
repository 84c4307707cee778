package dev.kinema.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

/**
 * A confusion matrix as a heat map drawn with Java2D: row {@code t} is the true class, column
 * {@code p} the predicted one, and each cell is shaded by the fraction of row {@code t} it holds
 * (white 0 to dark blue 1), so the diagonal shows each class's recall whatever the class sizes.
 * Counts are written in cells big enough to hold them; class names label the rows (left) and the
 * columns (top, rotated) while cells are at least 9 pixels.
 */
public final class ConfusionMatrixChart {
    private static final Color EMPTY = Color.WHITE;
    private static final Color FULL = new Color(0x08306B);

    private final int[][] counts;
    private final List<String> labels;
    private final String title;

    /**
     * @param counts {@code [true][predicted]}, square
     * @param labels one name per class
     */
    public ConfusionMatrixChart(int[][] counts, List<String> labels, String title) {
        if (counts.length != labels.size()) {
            throw new IllegalArgumentException(counts.length + " rows but " + labels.size() + " labels");
        }
        for (int[] row : counts) {
            if (row.length != counts.length) {
                throw new IllegalArgumentException("the confusion matrix must be square");
            }
        }
        this.counts = counts;
        this.labels = List.copyOf(labels);
        this.title = title;
    }

    /**
     * Where the cells are: cell (t, p) has its top-left corner at
     * {@code (left + p * cell, top + t * cell)}.
     */
    public record Layout(int left, int top, int cell, int width, int height, boolean names) {
        public int cellX(int predicted) {
            return left + predicted * cell;
        }

        public int cellY(int trueClass) {
            return top + trueClass * cell;
        }
    }

    /** The image's geometry: cells of 9 to 48 pixels, about 640 pixels of matrix at most. */
    public Layout layout() {
        int n = Math.max(1, counts.length);
        int cell = Math.max(1, Math.min(48, 640 / n));
        boolean names = cell >= 9;
        int labelSpace = 0;
        if (names) {
            BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = probe.createGraphics();
            g.setFont(labelFont(cell));
            FontMetrics fm = g.getFontMetrics();
            for (String l : labels) {
                labelSpace = Math.max(labelSpace, fm.stringWidth(l));
            }
            g.dispose();
            labelSpace += 8;
        }
        int left = 28 + labelSpace;
        int top = 40 + labelSpace;
        // Wide enough for the title and the legend line even with two classes.
        return new Layout(left, top, cell, Math.max(380, left + n * cell + 16), top + n * cell + 16, names);
    }

    /** The shade of a cell holding {@code fraction} (0..1) of its row. */
    public static Color shade(double fraction) {
        double f = Math.max(0, Math.min(1, fraction));
        return new Color(mix(EMPTY.getRed(), FULL.getRed(), f), mix(EMPTY.getGreen(), FULL.getGreen(), f),
                mix(EMPTY.getBlue(), FULL.getBlue(), f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }

    private static Font labelFont(int cell) {
        return new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(9, Math.min(12, cell - 2)));
    }

    public BufferedImage render() {
        Layout l = layout();
        int n = counts.length;
        BufferedImage img = new BufferedImage(l.width(), l.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, l.width(), l.height());
            Font countFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(13, l.cell() / 3)));
            for (int t = 0; t < n; t++) {
                long total = 0;
                for (int c : counts[t]) {
                    total += c;
                }
                for (int p = 0; p < n; p++) {
                    double fraction = total == 0 ? 0 : (double) counts[t][p] / total;
                    g.setColor(shade(fraction));
                    g.fillRect(l.cellX(p), l.cellY(t), l.cell(), l.cell());
                    if (l.cell() >= 18 && counts[t][p] > 0) {
                        g.setFont(countFont);
                        FontMetrics fm = g.getFontMetrics();
                        String s = Integer.toString(counts[t][p]);
                        if (fm.stringWidth(s) < l.cell() - 2) {
                            g.setColor(fraction > 0.5 ? Color.WHITE : Color.BLACK);
                            g.drawString(s, l.cellX(p) + (l.cell() - fm.stringWidth(s)) / 2,
                                    l.cellY(t) + (l.cell() + fm.getAscent()) / 2 - 2);
                        }
                    }
                }
            }
            g.setColor(Color.GRAY);
            g.drawRect(l.left() - 1, l.top() - 1, n * l.cell() + 1, n * l.cell() + 1);
            g.setColor(Color.BLACK);
            if (l.names()) {
                g.setFont(labelFont(l.cell()));
                FontMetrics fm = g.getFontMetrics();
                for (int i = 0; i < n; i++) {
                    String s = labels.get(i);
                    int baseline = (l.cell() + fm.getAscent()) / 2 - 1;
                    g.drawString(s, l.left() - 4 - fm.stringWidth(s), l.cellY(i) + baseline);
                    AffineTransform saved = g.getTransform();
                    g.translate(l.cellX(i) + baseline, l.top() - 4);
                    g.rotate(-Math.PI / 2);
                    g.drawString(s, 0, 0);
                    g.setTransform(saved);
                }
            }
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            g.drawString(title, 8, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 11));
            g.drawString("rows: true class, columns: predicted; shade = fraction of the row", 8, 33);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes a PNG atomically; returns its absolute path. */
    public Path writePng(Path png) {
        return Images.writePng(render(), png);
    }
}

package dev.kinema.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A line chart drawn with Java2D, for training curves: one or more series of (x, y) points,
 * joined by lines and marked with dots, over axes with round-numbered ticks, a title and a legend.
 * NaN values are gaps (a series with nothing to show for an epoch). No charting library, so the
 * look is the same on every machine with a JDK.
 *
 * <pre>{@code
 * BufferedImage img = LineChart.builder().setTitle("loss").optAxisLabels("epoch", "cross-entropy")
 *         .addSeries("train", epochs, loss, LineChart.PALETTE.get(0)).build().render();
 * }</pre>
 */
public final class LineChart {
    /** Distinguishable series colours (a colour-blind-safe set). */
    public static final List<Color> PALETTE = List.of(new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73),
            new Color(0xCC79A7), new Color(0xE69F00), new Color(0x56B4E9));

    private static final int LEFT = 64;
    private static final int RIGHT = 20;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;
    private static final int LEGEND = 20;

    /** One named line. */
    public record Series(String name, double[] x, double[] y, Color color) {
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(color, "color");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series " + name + " has " + x.length + " x and " + y.length + " y");
            }
            x = x.clone();
            y = y.clone();
        }
    }

    /**
     * Where data lands in the image: the plot area's edges in pixels and the data range they show.
     */
    public record Frame(int left, int top, int right, int bottom, double xMin, double xMax, double yMin, double yMax) {
        /** The pixel column of {@code x}. */
        public int px(double x) {
            return (int) Math.round(left + (x - xMin) / (xMax - xMin) * (right - left));
        }

        /** The pixel row of {@code y} (larger y is higher up). */
        public int py(double y) {
            return (int) Math.round(bottom - (y - yMin) / (yMax - yMin) * (bottom - top));
        }
    }

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final List<Series> series;
    private final double yMin;
    private final double yMax;
    private final int width;
    private final int height;

    private LineChart(Builder b) {
        this.title = b.title;
        this.xLabel = b.xLabel;
        this.yLabel = b.yLabel;
        this.series = List.copyOf(b.series);
        this.yMin = b.yMin;
        this.yMax = b.yMax;
        this.width = b.width;
        this.height = b.height;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The plot area and data ranges of this chart. */
    public Frame frame() {
        double x0 = Double.POSITIVE_INFINITY;
        double x1 = Double.NEGATIVE_INFINITY;
        double y0 = Double.POSITIVE_INFINITY;
        double y1 = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    x0 = Math.min(x0, s.x()[i]);
                    x1 = Math.max(x1, s.x()[i]);
                    y0 = Math.min(y0, s.y()[i]);
                    y1 = Math.max(y1, s.y()[i]);
                }
            }
        }
        if (x0 > x1) { // nothing to plot
            x0 = 0;
            x1 = 1;
            y0 = 0;
            y1 = 1;
        }
        // A margin so the first and last markers sit inside the frame.
        double xPad = x0 == x1 ? 0.5 : (x1 - x0) * 0.03;
        x0 -= xPad;
        x1 += xPad;
        if (!Double.isNaN(yMin)) {
            y0 = yMin;
            y1 = yMax;
        } else {
            double pad = y1 > y0 ? (y1 - y0) * 0.05 : Math.max(Math.abs(y0) * 0.1, 0.5);
            y0 -= pad;
            y1 += pad;
        }
        return new Frame(LEFT, TOP, width - RIGHT, height - BOTTOM - legendHeight(), x0, x1, y0, y1);
    }

    /** Draws the chart. */
    public BufferedImage render() {
        Frame f = frame();
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Images.whiteCanvas(img);
        try {
            drawAxes(g, f);
            for (Series s : series) {
                drawSeries(g, f, s);
            }
            drawLegend(g, f);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes a PNG atomically; returns its absolute path. */
    public Path writePng(Path png) {
        return Images.writePng(render(), png);
    }

    private void drawAxes(Graphics2D g, Frame f) {
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : Ticks.of(f.yMin(), f.yMax(), 6)) {
            int y = f.py(t);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(f.left(), y, f.right(), y);
            g.setColor(Color.DARK_GRAY);
            String s = Ticks.format(t);
            g.drawString(s, f.left() - 6 - fm.stringWidth(s), y + fm.getAscent() / 2 - 1);
        }
        boolean integers = allIntegerX();
        for (double t : Ticks.of(f.xMin(), f.xMax(), 8)) {
            if (integers && t != Math.rint(t)) {
                continue;
            }
            int x = f.px(t);
            g.setColor(new Color(0xE6E6E6));
            g.drawLine(x, f.top(), x, f.bottom());
            g.setColor(Color.DARK_GRAY);
            String s = Ticks.format(t);
            g.drawString(s, x - fm.stringWidth(s) / 2, f.bottom() + 4 + fm.getAscent());
        }
        g.setColor(Color.GRAY);
        g.drawRect(f.left(), f.top(), f.right() - f.left(), f.bottom() - f.top());
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 14f));
        FontMetrics tm = g.getFontMetrics();
        g.drawString(title, (width - tm.stringWidth(title)) / 2, 8 + tm.getAscent());
        g.setFont(font.deriveFont(12f));
        FontMetrics lm = g.getFontMetrics();
        if (!xLabel.isEmpty()) {
            g.drawString(xLabel, (f.left() + f.right() - lm.stringWidth(xLabel)) / 2, f.bottom() + BOTTOM - 10);
        }
        if (!yLabel.isEmpty()) {
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            g.drawString(yLabel, -(f.top() + f.bottom() + lm.stringWidth(yLabel)) / 2, 4 + lm.getAscent());
            g.setTransform(saved);
        }
    }

    /** Named series get a one-line legend under the x axis label, outside the data. */
    private boolean hasLegend() {
        return series.stream().anyMatch(s -> !s.name().isEmpty());
    }

    private int legendHeight() {
        return hasLegend() ? LEGEND : 0;
    }

    private boolean allIntegerX() {
        for (Series s : series) {
            for (double x : s.x()) {
                if (Double.isFinite(x) && x != Math.rint(x)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void drawSeries(Graphics2D g, Frame f, Series s) {
        g.setColor(s.color());
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        int prevX = 0;
        int prevY = 0;
        boolean hasPrev = false;
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i];
            double y = s.y()[i];
            if (!Double.isFinite(x) || !Double.isFinite(y)) {
                hasPrev = false;
                continue;
            }
            int px = f.px(x);
            int py = f.py(Math.max(f.yMin(), Math.min(f.yMax(), y)));
            if (hasPrev) {
                g.drawLine(prevX, prevY, px, py);
            }
            g.fillOval(px - 3, py - 3, 7, 7);
            prevX = px;
            prevY = py;
            hasPrev = true;
        }
    }

    private void drawLegend(Graphics2D g, Frame f) {
        if (!hasLegend()) {
            return;
        }
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        FontMetrics fm = g.getFontMetrics();
        int total = 0;
        for (Series s : series) {
            total += 24 + fm.stringWidth(s.name()) + 16;
        }
        int x = Math.max(4, (f.left() + f.right() - total) / 2);
        int cy = height - LEGEND / 2 - 4;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2f));
            g.drawLine(x, cy, x + 18, cy);
            g.fillOval(x + 6, cy - 3, 7, 7);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), x + 24, cy + fm.getAscent() / 2 - 1);
            x += 24 + fm.stringWidth(s.name()) + 16;
        }
    }

    /** Round-numbered ticks: steps of 1, 2 or 5 times a power of ten. */
    static final class Ticks {
        private Ticks() {}

        static List<Double> of(double min, double max, int target) {
            double span = max - min;
            double raw = span / Math.max(1, target);
            double mag = Math.pow(10, Math.floor(Math.log10(raw)));
            double step = mag;
            for (double m : new double[] {1, 2, 5, 10}) {
                if (m * mag >= raw) {
                    step = m * mag;
                    break;
                }
            }
            List<Double> out = new ArrayList<>();
            for (double t = Math.ceil(min / step - 1e-9) * step; t <= max + step * 1e-9; t += step) {
                out.add(Math.abs(t) < step * 1e-9 ? 0.0 : t);
            }
            return out;
        }

        static String format(double v) {
            if (v == Math.rint(v) && Math.abs(v) < 1e9) {
                return Long.toString((long) v);
            }
            String s = String.format(Locale.ROOT, "%.4f", v);
            return s.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
    }

    /** DJL-style builder: {@code setTitle} required. Default 640×360, y range from the data. */
    public static final class Builder {
        private String title;
        private String xLabel = "";
        private String yLabel = "";
        private final List<Series> series = new ArrayList<>();
        private double yMin = Double.NaN;
        private double yMax = Double.NaN;
        private int width = 640;
        private int height = 360;

        private Builder() {}

        public Builder setTitle(String title) {
            this.title = Objects.requireNonNull(title);
            return this;
        }

        public Builder optAxisLabels(String x, String y) {
            this.xLabel = Objects.requireNonNull(x);
            this.yLabel = Objects.requireNonNull(y);
            return this;
        }

        /** A fixed y range (e.g. 0..1 for accuracy) instead of one fitted to the data. */
        public Builder optYRange(double min, double max) {
            if (!(max > min)) {
                throw new IllegalArgumentException("need max > min, got " + min + ".." + max);
            }
            this.yMin = min;
            this.yMax = max;
            return this;
        }

        public Builder optSize(int width, int height) {
            if (width < LEFT + RIGHT + 20 || height < TOP + BOTTOM + 20) {
                throw new IllegalArgumentException("chart too small: " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder addSeries(String name, double[] x, double[] y, Color color) {
            series.add(new Series(name, x, y, color));
            return this;
        }

        public LineChart build() {
            if (title == null) {
                throw new IllegalStateException("setTitle is required");
            }
            return new LineChart(this);
        }
    }
}

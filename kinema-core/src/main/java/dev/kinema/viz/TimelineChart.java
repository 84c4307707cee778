package dev.kinema.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A video's timeline: rows of labelled time spans (ground truth, predictions) over a seconds axis,
 * one colour per label, a prediction's score as its opacity and in its caption. Overlapping spans
 * of a row are stacked in lanes so none hides another. For {@code kinema localize}.
 */
public final class TimelineChart {
    private static final int LEFT = 110;
    private static final int RIGHT = 20;
    private static final int TOP = 30;
    private static final int LANE = 18;
    private static final int ROW_GAP = 14;
    private static final int AXIS = 36;

    private TimelineChart() {}

    /** One span; {@code score} in [0, 1] sets its opacity (1 for ground truth). */
    public record Bar(double start, double end, String label, double score) {}

    /** A named row of spans. */
    public record Row(String name, List<Bar> bars) {}

    /**
     * @param labels the labels in the order their colours are assigned (a label not listed gets the next colour)
     */
    public static BufferedImage render(String title, double duration, List<Row> rows, List<String> labels, int width) {
        List<String> colours = new ArrayList<>(labels);
        List<List<List<Bar>>> lanesByRow = new ArrayList<>();
        int height = TOP + AXIS;
        for (Row row : rows) {
            List<List<Bar>> lanes = lanes(row.bars());
            lanesByRow.add(lanes);
            height += Math.max(1, lanes.size()) * LANE + ROW_GAP;
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = Images.whiteCanvas(img);
        try {
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            g.setColor(Color.BLACK);
            g.drawString(title, 8, 18);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            FontMetrics fm = g.getFontMetrics();
            double plot = width - LEFT - RIGHT;
            int y = TOP;
            for (int r = 0; r < rows.size(); r++) {
                List<List<Bar>> lanes = lanesByRow.get(r);
                int rowHeight = Math.max(1, lanes.size()) * LANE;
                g.setColor(new Color(0xF2F2F2));
                g.fillRect(LEFT, y, (int) plot, rowHeight);
                g.setColor(Color.BLACK);
                g.drawString(rows.get(r).name(), 8, y + LANE / 2 + fm.getAscent() / 2 - 1);
                for (int l = 0; l < lanes.size(); l++) {
                    for (Bar b : lanes.get(l)) {
                        int i = colours.indexOf(b.label());
                        if (i < 0) {
                            colours.add(b.label());
                            i = colours.size() - 1;
                        }
                        Color c = LineChart.PALETTE.get(i % LineChart.PALETTE.size());
                        int alpha = (int) Math.round(255 * Math.max(0.25, Math.min(1, b.score())));
                        int x0 = LEFT + (int) Math.round(plot * b.start() / duration);
                        int x1 = LEFT + (int) Math.round(plot * b.end() / duration);
                        int top = y + l * LANE + 2;
                        g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), alpha));
                        g.fillRect(x0, top, Math.max(1, x1 - x0), LANE - 4);
                        g.setColor(c.darker());
                        g.drawRect(x0, top, Math.max(1, x1 - x0), LANE - 4);
                        String caption = b.score() < 1 ? String.format(Locale.ROOT, "%s %.2f", b.label(), b.score()) : b.label();
                        g.setColor(Color.BLACK);
                        g.setClip(x0, top, Math.max(1, x1 - x0), LANE - 4);
                        g.drawString(caption, x0 + 3, top + (LANE - 4) / 2 + fm.getAscent() / 2 - 1);
                        g.setClip(null);
                    }
                }
                y += rowHeight + ROW_GAP;
            }
            // Seconds axis with round ticks.
            g.setColor(Color.DARK_GRAY);
            g.setStroke(new BasicStroke(1));
            g.drawLine(LEFT, y, LEFT + (int) plot, y);
            double tick = niceTick(duration / 10);
            for (double t = 0; t <= duration + 1e-9; t += tick) {
                int x = LEFT + (int) Math.round(plot * t / duration);
                g.drawLine(x, y, x, y + 4);
                String s = tick >= 1 ? String.format(Locale.ROOT, "%.0f", t) : String.format(Locale.ROOT, "%.1f", t);
                g.drawString(s, x - fm.stringWidth(s) / 2, y + 6 + fm.getAscent());
            }
            g.drawString("seconds", LEFT + (int) plot - fm.stringWidth("seconds"), y + 8 + 2 * fm.getAscent());
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Renders and writes the PNG (atomically). */
    public static Path write(Path png, String title, double duration, List<Row> rows, List<String> labels) {
        return Images.writePng(render(title, duration, rows, labels, 900), png);
    }

    /** Greedy lanes: each span goes in the first lane where it overlaps nothing. */
    static List<List<Bar>> lanes(List<Bar> bars) {
        List<List<Bar>> lanes = new ArrayList<>();
        for (Bar b : bars) {
            List<Bar> free = null;
            for (List<Bar> lane : lanes) {
                if (lane.stream().noneMatch(o -> o.start() < b.end() && b.start() < o.end())) {
                    free = lane;
                    break;
                }
            }
            if (free == null) {
                free = new ArrayList<>();
                lanes.add(free);
            }
            free.add(b);
        }
        return lanes;
    }

    private static double niceTick(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (raw <= m * p) {
                return m * p;
            }
        }
        return 10 * p;
    }
}

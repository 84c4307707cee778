package dev.kinema.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.SplittableRandom;

/** The family of flat objects used by sliding, approaching and distractor objects. */
final class Shapes {
    enum Kind { CIRCLE, SQUARE, TRIANGLE, DIAMOND, PENTAGON, HEXAGON, STAR, CROSS, RING }

    private Shapes() {}

    static Kind randomKind(SplittableRandom rng) {
        return Kind.values()[rng.nextInt(Kind.values().length)];
    }

    /** The outline of {@code kind}, centred on the origin, {@code size} across. */
    static Shape outline(Kind kind, double size) {
        double r = size / 2;
        return switch (kind) {
            case CIRCLE -> new Ellipse2D.Double(-r, -r, size, size);
            case SQUARE -> new Rectangle2D.Double(-r * 0.85, -r * 0.85, size * 0.85, size * 0.85);
            case TRIANGLE -> polygon(3, r, 1);
            case DIAMOND -> polygon(4, r, 1);
            case PENTAGON -> polygon(5, r, 1);
            case HEXAGON -> polygon(6, r, 1);
            case STAR -> polygon(5, r, 0.45);
            case CROSS -> {
                Area a = new Area(new Rectangle2D.Double(-r, -r * 0.3, size, r * 0.6));
                a.add(new Area(new Rectangle2D.Double(-r * 0.3, -r, r * 0.6, size)));
                yield a;
            }
            case RING -> {
                Area a = new Area(new Ellipse2D.Double(-r, -r, size, size));
                a.subtract(new Area(new Ellipse2D.Double(-r * 0.5, -r * 0.5, r, r)));
                yield a;
            }
        };
    }

    /** A regular polygon with {@code n} points; {@code innerRatio} below 1 makes it a star. */
    static Shape polygon(int n, double r, double innerRatio) {
        Path2D.Double p = new Path2D.Double();
        int points = innerRatio < 1 ? 2 * n : n;
        for (int i = 0; i < points; i++) {
            double a = -Math.PI / 2 + i * 2 * Math.PI / points;
            double rr = (innerRatio < 1 && i % 2 == 1) ? r * innerRatio : r;
            if (i == 0) {
                p.moveTo(rr * Math.cos(a), rr * Math.sin(a));
            } else {
                p.lineTo(rr * Math.cos(a), rr * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    /** Fills {@code shape} moved to {@code (x, y)} and turned by {@code angle}, with a thin darker rim. */
    static Shape paint(Graphics2D g, Shape shape, double x, double y, double angle, Color fill) {
        AffineTransform at = AffineTransform.getTranslateInstance(x, y);
        at.rotate(angle);
        Shape placed = at.createTransformedShape(shape);
        g.setColor(fill);
        g.fill(placed);
        Rectangle2D b = placed.getBounds2D();
        g.setStroke(new BasicStroke((float) (Math.max(b.getWidth(), b.getHeight()) * 0.05)));
        Color rim = fill.darker();
        g.setColor(new Color(rim.getRed(), rim.getGreen(), rim.getBlue(), fill.getAlpha()));
        g.draw(placed);
        return placed;
    }

    /** {@code c} with alpha {@code a} in [0, 1]. */
    static Color withAlpha(Color c, double a) {
        return new Color(c.getRed(), c.getGreen(), c.getBlue(), (int) Math.round(255 * Math.max(0, Math.min(1, a))));
    }
}

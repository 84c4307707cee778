package dev.kinema.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Arc2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Recipes for the object classes (shapes, balls, rotors, pendulums) and for distractors.
 *
 * <p>The recipes of motion classes are <em>stationary</em>: every moving quantity is a phase on a
 * cycle whose starting point is uniform (horizontal position on a wrap-around track, rotation
 * angle, log-depth in a looming stream), so the distribution of what a frame shows is the same at
 * every time and a time-reversed copy has, frame for frame, the same distribution.
 */
final class ObjectActions {
    private ObjectActions() {}

    /**
     * Two or three copies of one shape gliding toward +x on a wrap-around track (a copy leaving on
     * the right re-enters on the left). Copies are spaced evenly along the track, so one is always
     * in view; the track's starting offset is uniform, so every frame's positions are uniform.
     */
    static Performer slide(Stage st, double duration, SplittableRandom rng) {
        Shapes.Kind kind = Shapes.randomKind(rng);
        int copies = 2 + rng.nextInt(2);
        double size = rng.nextDouble(0.13, 0.24);
        Color color = st.palette().foreground(rng);
        double speed = rng.nextDouble(0.15, 0.35);
        Rectangle2D region = st.region();
        double track = region.getWidth() + size * 1.2;
        double start = region.getMinX() - size * 0.6;
        double offset = rng.nextDouble(track);
        double bobAmp = rng.nextDouble(0, 0.025);
        double bobFreq = rng.nextDouble(0.3, 1.0);
        double[] ys = new double[copies];
        double[] angles = new double[copies];
        double[] bobPhase = new double[copies];
        for (int i = 0; i < copies; i++) {
            ys[i] = st.y(rng, size / 2 + 0.06);
            angles[i] = rng.nextDouble(2 * Math.PI);
            bobPhase[i] = rng.nextDouble(2 * Math.PI);
        }
        Shape shape = Shapes.outline(kind, size);
        return new Performer() {
            double x(int i, double t) {
                double u = offset + i * track / copies + speed * t;
                return start + (u - Math.floor(u / track) * track);
            }

            double y(int i, double t) {
                return ys[i] + bobAmp * Math.sin(2 * Math.PI * bobFreq * t + bobPhase[i]);
            }

            @Override
            public void draw(Graphics2D g, double t) {
                for (int i = 0; i < copies; i++) {
                    Shapes.paint(g, shape, x(i, t), y(i, t), angles[i], color);
                }
            }

            @Override
            public Rectangle2D bounds(double t) {
                Rectangle2D union = null;
                for (int i = 0; i < copies; i++) {
                    double x = x(i, t);
                    double y = y(i, t);
                    Rectangle2D b = new Rectangle2D.Double(x - size / 2, y - size / 2, size, size)
                            .createIntersection(region);
                    if (b.getWidth() > 0 && b.getHeight() > 0) {
                        union = union == null ? b : union.createUnion(b);
                    }
                }
                return union;
            }
        };
    }

    /**
     * A rotor (pinwheel, propeller or marked disc) turning clockwise on screen at a steady rate from
     * a uniform starting angle, slow enough (at most 0.7 turns a second) that no rotor's symmetry
     * aliases the direction at 20 fps or more.
     */
    static Performer rotate(Stage st, double duration, SplittableRandom rng) {
        double radius = rng.nextDouble(0.13, 0.26);
        double cx = st.x(rng, radius + 0.03);
        double cy = st.y(rng, radius + 0.03);
        double omega = 2 * Math.PI * rng.nextDouble(0.25, 0.7);
        double angle0 = rng.nextDouble(2 * Math.PI);
        Color main = st.palette().foreground(rng);
        // The accent marks the rotor's angle, so it must stand out from the main colour whatever the hues.
        Color accent = st.palette().recede(st.palette().foreground(rng), 0.6);
        List<Shape> mainParts = new ArrayList<>();
        List<Shape> accentParts = new ArrayList<>();
        switch (rng.nextInt(3)) {
            case 0 -> {
                int blades = 3 + rng.nextInt(2);
                for (int i = 0; i < blades; i++) {
                    double a = i * 2 * Math.PI / blades;
                    Path2D.Double blade = new Path2D.Double();
                    blade.moveTo(0, 0);
                    blade.lineTo(radius * Math.cos(a), radius * Math.sin(a));
                    blade.lineTo(0.55 * radius * Math.cos(a + 0.9), 0.55 * radius * Math.sin(a + 0.9));
                    blade.closePath();
                    (i == 0 ? accentParts : mainParts).add(blade);
                }
                mainParts.add(new Ellipse2D.Double(-radius * 0.12, -radius * 0.12, radius * 0.24, radius * 0.24));
            }
            case 1 -> {
                mainParts.add(new Ellipse2D.Double(-radius, -radius * 0.17, radius, radius * 0.34));
                accentParts.add(new Ellipse2D.Double(0, -radius * 0.17, radius, radius * 0.34));
                mainParts.add(new Ellipse2D.Double(-radius * 0.2, -radius * 0.2, radius * 0.4, radius * 0.4));
            }
            default -> {
                mainParts.add(new Ellipse2D.Double(-radius, -radius, 2 * radius, 2 * radius));
                accentParts.add(new Arc2D.Double(-radius, -radius, 2 * radius, 2 * radius, 0, 70, Arc2D.PIE));
                accentParts.add(new Ellipse2D.Double(-radius * 0.75, -radius * 0.1, radius * 0.2, radius * 0.2));
            }
        }
        return new Performer() {
            @Override
            public void draw(Graphics2D g, double t) {
                AffineTransform saved = g.getTransform();
                g.translate(cx, cy);
                // Java2D's y axis points down, so a growing angle turns clockwise on screen.
                g.rotate(angle0 + omega * t);
                g.setStroke(new BasicStroke((float) (radius * 0.05)));
                for (Shape s : mainParts) {
                    g.setColor(main);
                    g.fill(s);
                    g.setColor(main.darker());
                    g.draw(s);
                }
                g.setColor(accent);
                accentParts.forEach(g::fill);
                g.setTransform(saved);
            }

            @Override
            public Rectangle2D bounds(double t) {
                return new Rectangle2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius);
            }
        };
    }

    /**
     * A stream of three or four objects flying at the viewer out of a vanishing point: each object's
     * log-size runs through a cycle (far and faint, then near and large, then it fades and a new one
     * starts far away), with the objects evenly spaced on the cycle from a uniform offset.
     */
    static Performer approach(Stage st, double duration, SplittableRandom rng) {
        int count = 3 + rng.nextInt(2);
        Rectangle2D region = st.region();
        double vx = region.getCenterX() + rng.nextDouble(-0.15, 0.15) * region.getWidth();
        double vy = region.getCenterY() + rng.nextDouble(-0.12, 0.12) * region.getHeight();
        double rate = rng.nextDouble(0.2, 0.4);
        double offset = rng.nextDouble();
        double minSize = 0.035;
        double maxSize = rng.nextDouble(0.4, 0.55);
        long objectSeed = rng.nextLong();
        Palette palette = st.palette();
        return new Performer() {
            record Flyer(Shape shape, double x, double y, double size, double angle, Color color, double alpha) {}

            List<Flyer> flyers(double t) {
                List<Flyer> out = new ArrayList<>();
                for (int k = 0; k < count; k++) {
                    double v = offset + (double) k / count + rate * t;
                    long generation = (long) Math.floor(v);
                    double f = v - generation;
                    // Each new object gets its own look, fixed for its whole flight.
                    SplittableRandom r = new SplittableRandom(Seeds.mix(objectSeed, generation * 8 + k));
                    Shapes.Kind kind = Shapes.randomKind(r);
                    Color color = palette.foreground(r);
                    double dir = r.nextDouble(2 * Math.PI);
                    double spread = r.nextDouble(0.25, 1.0);
                    double angle = r.nextDouble(2 * Math.PI);
                    double size = minSize * Math.pow(maxSize / minSize, f);
                    double alpha = Math.min(1, Math.min(f, 1 - f) / 0.15);
                    double x = vx + Math.cos(dir) * spread * size * 1.4;
                    double y = vy + Math.sin(dir) * spread * size * 1.4;
                    out.add(new Flyer(Shapes.outline(kind, size), x, y, size, angle, color, alpha));
                }
                out.sort((a, b) -> Double.compare(a.size(), b.size()));
                return out;
            }

            @Override
            public void draw(Graphics2D g, double t) {
                for (Flyer fl : flyers(t)) {
                    Shapes.paint(g, fl.shape(), fl.x(), fl.y(), fl.angle(), Shapes.withAlpha(fl.color(), fl.alpha()));
                }
            }

            @Override
            public Rectangle2D bounds(double t) {
                Rectangle2D union = null;
                for (Flyer fl : flyers(t)) {
                    if (fl.alpha() < 0.3) {
                        continue;
                    }
                    Rectangle2D b = new Rectangle2D.Double(fl.x() - fl.size() / 2, fl.y() - fl.size() / 2,
                            fl.size(), fl.size()).createIntersection(region);
                    if (b.getWidth() > 0 && b.getHeight() > 0) {
                        union = union == null ? b : union.createUnion(b);
                    }
                }
                return union;
            }
        };
    }

    /** A striped beach ball bouncing on a floor, with a shadow; a thud at every bounce. */
    static Performer bounce(Stage st, double duration, SplittableRandom rng) {
        double r = rng.nextDouble(0.06, 0.11);
        double floor = st.region().getMinY() + st.region().getHeight() * rng.nextDouble(0.8, 0.93);
        double x = st.x(rng, r + 0.05);
        double period = rng.nextDouble(0.55, 0.95);
        double height = Math.min(rng.nextDouble(0.25, 0.5), floor - st.region().getMinY() - 2 * r - 0.04);
        double phase = rng.nextDouble(period);
        double spin = (rng.nextBoolean() ? 1 : -1) * rng.nextDouble(1, 3);
        double spin0 = rng.nextDouble(360);
        int wedges = rng.nextBoolean() ? 4 : 6;
        Color c1 = st.palette().foreground(rng);
        Color c2 = st.palette().foreground(rng);
        Color floorColor = st.palette().midtone(rng);
        Rectangle2D region = st.region();
        return new Performer() {
            double lift(double t) {
                double u = (t + phase) / period;
                u -= Math.floor(u);
                return height * 4 * u * (1 - u);
            }

            @Override
            public void draw(Graphics2D g, double t) {
                double lift = lift(t);
                g.setColor(floorColor);
                g.setStroke(new BasicStroke(0.012f));
                g.draw(new Line2D.Double(region.getMinX(), floor, region.getMaxX(), floor));
                double shadow = r * (1.1 - 0.5 * lift / Math.max(height, 1e-9));
                g.setColor(new Color(0, 0, 0, 90));
                g.fill(new Ellipse2D.Double(x - shadow, floor - r * 0.12, 2 * shadow, r * 0.24));
                // A slight squash in the last few millimetres before contact sells the bounce.
                double squash = 1 - 0.18 * Math.max(0, 1 - lift / (0.4 * r));
                double ry = r * squash;
                double rx = r / Math.sqrt(squash);
                double cy = floor - ry - lift;
                for (int i = 0; i < wedges; i++) {
                    g.setColor(i % 2 == 0 ? c1 : c2);
                    g.fill(new Arc2D.Double(x - rx, cy - ry, 2 * rx, 2 * ry,
                            spin0 + Math.toDegrees(spin * t) + i * 360.0 / wedges, 360.0 / wedges, Arc2D.PIE));
                }
                g.setColor(c1.darker());
                g.setStroke(new BasicStroke((float) (r * 0.08)));
                g.draw(new Ellipse2D.Double(x - rx, cy - ry, 2 * rx, 2 * ry));
                g.setColor(new Color(255, 255, 255, 140));
                g.fill(new Ellipse2D.Double(x - rx * 0.55, cy - ry * 0.6, rx * 0.4, ry * 0.3));
            }

            @Override
            public Rectangle2D bounds(double t) {
                double cy = floor - r - lift(t);
                return new Rectangle2D.Double(x - r * 1.1, cy - r, r * 2.2, floor - (cy - r));
            }

            @Override
            public double[] eventTimes() {
                return ActionRecipe.periodic(-phase, period, duration);
            }
        };
    }

    /** A pendulum hanging from a bar, swinging from a uniform phase. */
    static Performer pendulum(Stage st, double duration, SplittableRandom rng) {
        Rectangle2D region = st.region();
        double px = st.x(rng, 0.3);
        double py = region.getMinY() + rng.nextDouble(0.05, 0.15);
        double length = rng.nextDouble(0.45, 0.68) * (region.getMaxY() - py);
        double amplitude = rng.nextDouble(0.3, 0.75);
        double period = rng.nextDouble(1.1, 2.0);
        double phase = rng.nextDouble(2 * Math.PI);
        double bob = rng.nextDouble(0.045, 0.075);
        Color bobColor = st.palette().foreground(rng);
        Color rodColor = st.palette().foreground(rng);
        Color barColor = st.palette().midtone(rng);
        return new Performer() {
            double theta(double t) {
                return amplitude * Math.sin(2 * Math.PI * t / period + phase);
            }

            @Override
            public void draw(Graphics2D g, double t) {
                double th = theta(t);
                double bx = px + length * Math.sin(th);
                double by = py + length * Math.cos(th);
                g.setColor(barColor);
                g.fill(new Rectangle2D.Double(px - 0.13, py - 0.025, 0.26, 0.025));
                g.setColor(rodColor);
                g.setStroke(new BasicStroke(0.012f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(new Line2D.Double(px, py, bx, by));
                Shapes.paint(g, new Ellipse2D.Double(-bob, -bob, 2 * bob, 2 * bob), bx, by, 0, bobColor);
            }

            @Override
            public Rectangle2D bounds(double t) {
                double th = theta(t);
                double bx = px + length * Math.sin(th);
                double by = py + length * Math.cos(th);
                Rectangle2D box = new Rectangle2D.Double(px - 0.13, py - 0.025, 0.26, 0.025);
                box.add(new Rectangle2D.Double(bx - bob, by - bob, 2 * bob, 2 * bob));
                return box;
            }
        };
    }

    /**
     * A small low-contrast shape drifting in a uniformly random direction on a wrap-around torus
     * slightly larger than the frame: stationary and reversal-symmetric, so it tells nothing.
     */
    static Performer drift(Stage st, double duration, SplittableRandom rng) {
        double size = rng.nextDouble(0.035, 0.08);
        Shape shape = Shapes.outline(Shapes.randomKind(rng), size);
        Color color = st.palette().midtone(rng);
        double dir = rng.nextDouble(2 * Math.PI);
        double speed = rng.nextDouble(0.02, 0.1);
        double w = st.aspect() + 2 * size;
        double h = 1 + 2 * size;
        double x0 = rng.nextDouble(w);
        double y0 = rng.nextDouble(h);
        double angle = rng.nextDouble(2 * Math.PI);
        return new Performer() {
            double[] at(double t) {
                double x = x0 + Math.cos(dir) * speed * t;
                double y = y0 + Math.sin(dir) * speed * t;
                return new double[] {x - Math.floor(x / w) * w - size, y - Math.floor(y / h) * h - size};
            }

            @Override
            public void draw(Graphics2D g, double t) {
                double[] p = at(t);
                Shapes.paint(g, shape, p[0], p[1], angle, color);
            }

            @Override
            public Rectangle2D bounds(double t) {
                double[] p = at(t);
                return new Rectangle2D.Double(p[0] - size / 2, p[1] - size / 2, size, size);
            }
        };
    }
}

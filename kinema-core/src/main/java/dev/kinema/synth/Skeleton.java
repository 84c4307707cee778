package dev.kinema.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.SplittableRandom;

/**
 * A 2-D articulated body in the spirit of Johansson's point-light walkers: a trunk, a head, two
 * two-segment arms and two two-segment legs, posed by joint angles and drawn either as a stick
 * figure or as the 13 lights of a point-light display.
 *
 * <p>Angles are in radians. A limb's angle is absolute, measured from straight down, positive
 * toward +x (the figure's front in side view, the viewer's right in front view); elbows and knees
 * are relative to their upper segment. Body units: a standing figure is 1 unit tall.
 */
public final class Skeleton {
    /** The joints reported as keypoints: the classic 13 lights (head, shoulders, elbows, wrists, hips, knees, ankles). */
    public enum Joint { HEAD, L_SHOULDER, R_SHOULDER, L_ELBOW, R_ELBOW, L_WRIST, R_WRIST, L_HIP, R_HIP, L_KNEE, R_KNEE, L_ANKLE, R_ANKLE }

    static final double THIGH = 0.245;
    static final double SHIN = 0.245;
    static final double TRUNK = 0.30;
    static final double NECK_TO_HEAD = 0.085;
    static final double HEAD_RADIUS = 0.062;
    static final double UPPER_ARM = 0.165;
    static final double FOREARM = 0.16;
    static final double SHOULDER_HALF = 0.085;
    static final double HIP_HALF = 0.05;

    private static final int NECK = Joint.values().length;
    private static final int PELVIS = NECK + 1;

    private Skeleton() {}

    /**
     * A body configuration.
     *
     * @param frontView true for a figure facing the viewer (shoulders and hips spread), false for a side view
     * @param lean trunk angle from vertical, positive toward +x
     * @param armReach the visible fraction of the arms' length: 1 when they move in the picture
     *     plane, less when they reach toward the viewer (a front-view clap) and are foreshortened
     */
    public record Pose(boolean frontView, double lean, double lShoulder, double lElbow, double rShoulder, double rElbow,
            double lHip, double lKnee, double rHip, double rKnee, double armReach) {
        /** A pose with arms in the picture plane. */
        public Pose(boolean frontView, double lean, double lShoulder, double lElbow, double rShoulder, double rElbow,
                double lHip, double lKnee, double rHip, double rKnee) {
            this(frontView, lean, lShoulder, lElbow, rShoulder, rElbow, lHip, lKnee, rHip, rKnee, 1);
        }
    }

    /** Joint positions relative to the pelvis in body units (y down): the 13 joints, then neck, then pelvis. */
    static Point2D.Double[] joints(Pose p) {
        Point2D.Double[] j = new Point2D.Double[PELVIS + 1];
        Point2D.Double pelvis = new Point2D.Double(0, 0);
        double ux = Math.sin(p.lean());
        double uy = -Math.cos(p.lean());
        Point2D.Double neck = new Point2D.Double(TRUNK * ux, TRUNK * uy);
        j[PELVIS] = pelvis;
        j[NECK] = neck;
        j[Joint.HEAD.ordinal()] = new Point2D.Double(neck.x + NECK_TO_HEAD * ux, neck.y + NECK_TO_HEAD * uy);
        double spreadX = p.frontView() ? -uy : 0;
        double spreadY = p.frontView() ? ux : 0;
        Point2D.Double ls = new Point2D.Double(neck.x - SHOULDER_HALF * spreadX, neck.y - SHOULDER_HALF * spreadY);
        Point2D.Double rs = new Point2D.Double(neck.x + SHOULDER_HALF * spreadX, neck.y + SHOULDER_HALF * spreadY);
        Point2D.Double lh = new Point2D.Double(-HIP_HALF * spreadX, -HIP_HALF * spreadY);
        Point2D.Double rh = new Point2D.Double(HIP_HALF * spreadX, HIP_HALF * spreadY);
        double ua = UPPER_ARM * p.armReach();
        double fa = FOREARM * p.armReach();
        limb(j, Joint.L_SHOULDER, Joint.L_ELBOW, Joint.L_WRIST, ls, p.lShoulder(), p.lElbow(), ua, fa);
        limb(j, Joint.R_SHOULDER, Joint.R_ELBOW, Joint.R_WRIST, rs, p.rShoulder(), p.rElbow(), ua, fa);
        limb(j, Joint.L_HIP, Joint.L_KNEE, Joint.L_ANKLE, lh, p.lHip(), p.lKnee(), THIGH, SHIN);
        limb(j, Joint.R_HIP, Joint.R_KNEE, Joint.R_ANKLE, rh, p.rHip(), p.rKnee(), THIGH, SHIN);
        return j;
    }

    private static void limb(Point2D.Double[] j, Joint root, Joint mid, Joint end, Point2D.Double at,
            double angle, double bend, double upper, double lower) {
        j[root.ordinal()] = at;
        Point2D.Double m = new Point2D.Double(at.x + upper * Math.sin(angle), at.y + upper * Math.cos(angle));
        j[mid.ordinal()] = m;
        j[end.ordinal()] = new Point2D.Double(m.x + lower * Math.sin(angle + bend), m.y + lower * Math.cos(angle + bend));
    }

    /** The lowest point (largest y) of the ankles, relative to the pelvis: how high the pelvis stands. */
    static double ankleDepth(Pose p) {
        Point2D.Double[] j = joints(p);
        return Math.max(j[Joint.L_ANKLE.ordinal()].y, j[Joint.R_ANKLE.ordinal()].y);
    }

    /**
     * Two-link inverse kinematics: the (upper angle, relative bend) that puts the end of a limb rooted
     * at {@code (sx, sy)} at {@code (tx, ty)}, or as close as it reaches. Of the two solutions, the one
     * whose middle joint lies further along {@code (prefX, prefY)} wins (e.g. elbows out and down).
     */
    static double[] reach(double sx, double sy, double tx, double ty, double upper, double lower,
            double prefX, double prefY) {
        double dx = tx - sx;
        double dy = ty - sy;
        double d = Math.max(Math.abs(upper - lower) + 1e-6, Math.min(upper + lower - 1e-6, Math.hypot(dx, dy)));
        double toTarget = Math.atan2(dx, dy);
        double inner = Math.acos(Math.max(-1, Math.min(1, (upper * upper + d * d - lower * lower) / (2 * upper * d))));
        double best = Double.NEGATIVE_INFINITY;
        double[] out = null;
        for (double sign : new double[] {1, -1}) {
            double a = toTarget + sign * inner;
            double mx = upper * Math.sin(a);
            double my = upper * Math.cos(a);
            double score = mx * prefX + my * prefY;
            if (score > best) {
                best = score;
                double ex = sx + d * Math.sin(toTarget) - (sx + mx);
                double ey = sy + d * Math.cos(toTarget) - (sy + my);
                out = new double[] {a, Math.atan2(ex, ey) - a};
            }
        }
        return out;
    }

    /**
     * How a figure is drawn: colour, size and stick-or-lights style. Both members of every motion
     * pair draw their figures from the same distribution of looks.
     */
    record Look(Color color, Color farColor, double height, boolean pointLights, double lineWidth) {
        static Look random(SplittableRandom rng, Palette palette, double minHeight, double maxHeight) {
            Color c = palette.foreground(rng);
            boolean lights = rng.nextDouble() < 0.3;
            return new Look(c, palette.recede(c, 0.35), rng.nextDouble(minHeight, maxHeight), lights,
                    rng.nextDouble(0.035, 0.06));
        }
    }

    /**
     * A posed figure placed in the world: body coordinates scaled by the look's height, mirrored
     * when {@code facing} is -1, pelvis at {@code (x, y)}.
     */
    static final class Placed {
        final Point2D.Double[] world;
        final Look look;
        final boolean sideView;

        Placed(Pose pose, Look look, double x, double y, int facing) {
            Point2D.Double[] body = joints(pose);
            this.world = new Point2D.Double[body.length];
            for (int i = 0; i < body.length; i++) {
                world[i] = new Point2D.Double(x + facing * body[i].x * look.height(), y + body[i].y * look.height());
            }
            this.look = look;
            this.sideView = !pose.frontView();
        }

        Point2D.Double at(Joint j) {
            return world[j.ordinal()];
        }

        /** The 13 keypoints, {@link Joint} order. */
        Point2D[] keypoints() {
            Point2D[] out = new Point2D[Joint.values().length];
            System.arraycopy(world, 0, out, 0, out.length);
            return out;
        }

        void draw(Graphics2D g) {
            double h = look.height();
            if (look.pointLights()) {
                double r = h * 0.028;
                for (Joint j : Joint.values()) {
                    boolean far = sideView && j.name().startsWith("R_");
                    g.setColor(far ? look.farColor() : look.color());
                    Point2D.Double p = world[j.ordinal()];
                    double rr = j == Joint.HEAD ? r * 1.5 : r;
                    g.fill(new Ellipse2D.Double(p.x - rr, p.y - rr, 2 * rr, 2 * rr));
                }
                return;
            }
            g.setStroke(new BasicStroke((float) (look.lineWidth() * h), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            // Far-side limbs first and dimmer, so a side view reads as one body in depth.
            g.setColor(sideView ? look.farColor() : look.color());
            segment(g, world[NECK], at(Joint.R_SHOULDER), at(Joint.R_ELBOW), at(Joint.R_WRIST));
            segment(g, world[PELVIS], at(Joint.R_HIP), at(Joint.R_KNEE), at(Joint.R_ANKLE));
            g.setColor(look.color());
            segment(g, at(Joint.HEAD), world[NECK], world[PELVIS]);
            segment(g, world[NECK], at(Joint.L_SHOULDER), at(Joint.L_ELBOW), at(Joint.L_WRIST));
            segment(g, world[PELVIS], at(Joint.L_HIP), at(Joint.L_KNEE), at(Joint.L_ANKLE));
            double r = HEAD_RADIUS * h;
            Point2D.Double head = at(Joint.HEAD);
            g.fill(new Ellipse2D.Double(head.x - r, head.y - r, 2 * r, 2 * r));
        }

        private static void segment(Graphics2D g, Point2D.Double... points) {
            for (int i = 1; i < points.length; i++) {
                g.draw(new Line2D.Double(points[i - 1], points[i]));
            }
        }

        Rectangle2D bounds() {
            double minX = Double.POSITIVE_INFINITY;
            double minY = Double.POSITIVE_INFINITY;
            double maxX = Double.NEGATIVE_INFINITY;
            double maxY = Double.NEGATIVE_INFINITY;
            for (Point2D.Double p : world) {
                minX = Math.min(minX, p.x);
                minY = Math.min(minY, p.y);
                maxX = Math.max(maxX, p.x);
                maxY = Math.max(maxY, p.y);
            }
            double h = look.height();
            double pad = look.pointLights() ? h * 0.03 : look.lineWidth() * h / 2;
            double headPad = Math.max(pad, look.pointLights() ? h * 0.042 : HEAD_RADIUS * h);
            Point2D.Double head = at(Joint.HEAD);
            minY = Math.min(minY - pad, head.y - headPad);
            minX = Math.min(minX - pad, head.x - headPad);
            maxX = Math.max(maxX + pad, head.x + headPad);
            return new Rectangle2D.Double(minX, minY, maxX - minX, maxY + pad - minY);
        }
    }
}

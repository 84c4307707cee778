package dev.kinema.synth;

import static dev.kinema.synth.Skeleton.FOREARM;
import static dev.kinema.synth.Skeleton.SHIN;
import static dev.kinema.synth.Skeleton.SHOULDER_HALF;
import static dev.kinema.synth.Skeleton.THIGH;
import static dev.kinema.synth.Skeleton.TRUNK;
import static dev.kinema.synth.Skeleton.UPPER_ARM;

import dev.kinema.synth.Skeleton.Look;
import dev.kinema.synth.Skeleton.Placed;
import dev.kinema.synth.Skeleton.Pose;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.SplittableRandom;

/**
 * Recipes for the articulated-figure classes: joint angles driven by periodic action cycles
 * (gait, jumping jacks, waving, clapping, juggling) or by one smooth transition (sitting down).
 * Every cycle starts from a uniform phase, so no frame index is special.
 */
final class FigureActions {
    /** Visible arm length when the forearms point at the viewer (clapping, juggling). */
    private static final double FORESHORTENED = 0.65;

    private FigureActions() {}

    /** A figure performance: the posed figure at each time, plus props drawn behind and in front. */
    private abstract static class Act implements Performer {
        abstract Placed figure(double t);

        void drawBehind(Graphics2D g, double t) {}

        void drawFront(Graphics2D g, double t) {}

        Rectangle2D propBounds(double t) {
            return null;
        }

        @Override
        public void draw(Graphics2D g, double t) {
            drawBehind(g, t);
            figure(t).draw(g);
            drawFront(g, t);
        }

        @Override
        public Rectangle2D bounds(double t) {
            Rectangle2D box = figure(t).bounds();
            Rectangle2D props = propBounds(t);
            if (props != null) {
                box.add(props);
            }
            return box;
        }

        @Override
        public Point2D[] keypoints(double t) {
            return figure(t).keypoints();
        }
    }

    private static double groundLine(Stage st, SplittableRandom rng, double figureHeight) {
        Rectangle2D r = st.region();
        double lo = Math.max(r.getMinY() + r.getHeight() * 0.82, r.getMinY() + figureHeight + 0.04);
        double hi = r.getMinY() + r.getHeight() * 0.96;
        return hi > lo ? rng.nextDouble(lo, hi) : hi;
    }

    /** A front-view figure standing with feet on {@code ground}. */
    private static Placed standing(Pose pose, Look look, double x, double ground, double lift) {
        return new Placed(pose, look, x, ground - Skeleton.ankleDepth(pose) * look.height() - lift, 1);
    }

    /**
     * A side-view walker (facing left or right at random) walking forward on the spot while the
     * camera tracks it: the ground's tick marks scroll backward at the speed of the stance foot. The
     * gait phase and the ground's offset start uniform, so the walk is stationary; its time reversal
     * is the same figure walking backward. A footfall sound at each heel strike.
     */
    static Performer walk(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.65);
        int facing = rng.nextBoolean() ? 1 : -1;
        double cycle = rng.nextDouble(0.9, 1.3);
        double phase0 = rng.nextDouble(2 * Math.PI);
        double swing = rng.nextDouble(0.38, 0.5);
        double x = st.x(rng, 0.25);
        double ground = groundLine(st, rng, look.height());
        double tick = rng.nextDouble(0.07, 0.14);
        double tick0 = rng.nextDouble(tick);
        Color groundColor = st.palette().midtone(rng);
        // A stance foot sweeps 2·leg·sin(swing) backward per half cycle.
        double speed = 4 * (THIGH + SHIN) * Math.sin(swing) * look.height() / cycle;
        Rectangle2D region = st.region();
        return new Act() {
            double phase(double t) {
                return phase0 + 2 * Math.PI * t / cycle;
            }

            @Override
            Placed figure(double t) {
                Pose pose = gait(phase(t), swing);
                return new Placed(pose, look, x, ground - Skeleton.ankleDepth(pose) * look.height(), facing);
            }

            @Override
            void drawBehind(Graphics2D g, double t) {
                g.setColor(groundColor);
                g.setStroke(new BasicStroke(0.01f));
                g.draw(new Line2D.Double(region.getMinX(), ground + 0.005, region.getMaxX(), ground + 0.005));
                double shift = tick0 - facing * speed * t;
                double first = region.getMinX() - tick + (shift - Math.floor(shift / tick) * tick);
                for (double tx = first; tx < region.getMaxX() + tick; tx += tick) {
                    g.draw(new Line2D.Double(tx, ground + 0.012, tx - 0.02, ground + 0.045));
                }
            }

            @Override
            public double[] eventTimes() {
                // Left heel strikes where sin(phase) peaks (phase = π/2), the right half a cycle later.
                double first = (Math.PI / 2 - phase0) / (2 * Math.PI) * cycle;
                return ActionRecipe.periodic(first, cycle / 2, duration);
            }
        };
    }

    /** The gait pose at phase {@code phi}: legs in antiphase, arms swinging against the legs. */
    static Pose gait(double phi, double swing) {
        double lHip = swing * Math.sin(phi);
        double rHip = swing * Math.sin(phi + Math.PI);
        return new Pose(false, 0.06,
                -0.6 * swing * Math.sin(phi), 0.25 + 0.25 * Math.max(0, Math.sin(phi + Math.PI)),
                -0.6 * swing * Math.sin(phi + Math.PI), 0.25 + 0.25 * Math.max(0, Math.sin(phi)),
                lHip, -knee(phi), rHip, -knee(phi + Math.PI));
    }

    /** Knee flexion over the gait cycle: most in early swing, nearly straight at heel strike. */
    private static double knee(double phi) {
        double c = Math.max(0, Math.cos(phi + 0.5));
        return 0.08 + 1.0 * c * c;
    }

    /**
     * A side-view figure sitting down on a stool: one smooth transition (smoothstep, so the motion is
     * symmetric in time) whose midpoint is uniform over the middle 30% of the clip, with the feet
     * planted. Its time reversal is standing up; since the midpoint's distribution is symmetric
     * about the clip's centre, the pair's frames match when pooled over time (and exactly at the
     * centre frame). A thud when the figure lands on the seat.
     */
    static Performer sitDown(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.62);
        int facing = rng.nextBoolean() ? 1 : -1;
        double foot = st.x(rng, 0.25);
        double ground = groundLine(st, rng, look.height());
        double middle = duration * rng.nextDouble(0.35, 0.65);
        double length = Math.min(rng.nextDouble(0.8, 1.4), 0.6 * duration);
        Color stoolColor = st.palette().midtone(rng);
        double h = look.height();
        double seatTop = ground - (SHIN + 0.045) * h;
        double seatX = foot - facing * THIGH * h;
        return new Act() {
            double progress(double t) {
                double u = Math.max(0, Math.min(1, (t - (middle - length / 2)) / length));
                return u * u * (3 - 2 * u);
            }

            @Override
            Placed figure(double t) {
                double s = progress(t);
                double hip = 1.5 * s;
                double knee = -1.5 * s;
                double lean = 0.12 * s + 0.5 * Math.sin(Math.PI * s);
                double shoulder = 0.1 + 0.55 * Math.sin(Math.PI * s) + 0.2 * s;
                double elbow = 0.15 + 0.9 * s;
                Pose pose = new Pose(false, lean, shoulder, elbow, shoulder - 0.15, elbow + 0.1,
                        hip, knee, hip + 0.06, knee - 0.06);
                Point2D.Double ankle = Skeleton.joints(pose)[Skeleton.Joint.L_ANKLE.ordinal()];
                return new Placed(pose, look, foot - facing * ankle.x * h, ground - ankle.y * h, facing);
            }

            @Override
            void drawBehind(Graphics2D g, double t) {
                g.setColor(stoolColor);
                double half = 0.13 * h;
                g.fill(new Rectangle2D.Double(seatX - half, seatTop, 2 * half, 0.035 * h));
                g.setStroke(new BasicStroke((float) (0.03 * h)));
                g.draw(new Line2D.Double(seatX - half * 0.8, seatTop, seatX - half * 0.9, ground));
                g.draw(new Line2D.Double(seatX + half * 0.8, seatTop, seatX + half * 0.9, ground));
            }

            @Override
            Rectangle2D propBounds(double t) {
                return null;
            }

            @Override
            public double[] eventTimes() {
                return new double[] {middle + 0.4 * length};
            }
        };
    }

    /**
     * Jumping jacks, front view: arms sweep between 30° and 160° from the sides while the legs
     * spread, with a hop between the two end poses; the arms never hang down, so the X-shaped
     * silhouette shows in every frame. A thud at each landing.
     */
    static Performer jumpingJacks(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.62);
        double x = st.x(rng, 0.22);
        double ground = groundLine(st, rng, look.height());
        double cycle = rng.nextDouble(0.7, 1.1);
        double phase0 = rng.nextDouble(2 * Math.PI);
        double hop = rng.nextDouble(0.04, 0.08);
        return new Act() {
            @Override
            Placed figure(double t) {
                double phi = phase0 + 2 * Math.PI * t / cycle;
                double s = (1 - Math.cos(phi)) / 2;
                double arms = 0.55 + 2.25 * s;
                double legs = 0.08 + 0.3 * s;
                Pose pose = new Pose(true, 0, -arms, -0.2, arms, 0.2, -legs, 0, legs, 0);
                return standing(pose, look, x, ground, hop * look.height() * Math.abs(Math.sin(phi)));
            }

            @Override
            public double[] eventTimes() {
                return ActionRecipe.periodic(-phase0 / (2 * Math.PI) * cycle, cycle / 2, duration);
            }
        };
    }

    /** Waving, front view: one arm raised high (either side), its forearm swinging back and forth. */
    static Performer waving(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.62);
        double x = st.x(rng, 0.22);
        double ground = groundLine(st, rng, look.height());
        int side = rng.nextBoolean() ? 1 : -1;
        double raise = rng.nextDouble(2.1, 2.6);
        double freq = rng.nextDouble(1.5, 2.5);
        double phase0 = rng.nextDouble(2 * Math.PI);
        double sway = rng.nextDouble(0, 0.05);
        return new Act() {
            @Override
            Placed figure(double t) {
                double phi = phase0 + 2 * Math.PI * freq * t;
                double up = side * (raise + 0.05 * Math.sin(phi));
                double forearm = side * (0.35 + 0.5 * Math.sin(phi));
                double down = -side * 0.12;
                double lean = sway * Math.sin(phi / 2);
                Pose pose = side > 0
                        ? new Pose(true, lean, down, -side * 0.1, up, forearm, -0.07, 0, 0.07, 0)
                        : new Pose(true, lean, up, forearm, down, -side * 0.1, -0.07, 0, 0.07, 0);
                return standing(pose, look, x, ground, 0);
            }
        };
    }

    /** Clapping, front view: both hands meet in front of the chest; a clap sound at each contact. */
    static Performer clapping(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.62);
        double x = st.x(rng, 0.22);
        double ground = groundLine(st, rng, look.height());
        double freq = rng.nextDouble(1.5, 3.0);
        double phase0 = rng.nextDouble(2 * Math.PI);
        double gap = rng.nextDouble(0.08, 0.15);
        double chest = -TRUNK + rng.nextDouble(0.1, 0.15);
        return new Act() {
            @Override
            Placed figure(double t) {
                double phi = phase0 + 2 * Math.PI * freq * t;
                double hand = 0.015 + gap * (1 - Math.cos(phi)) / 2;
                double ua = UPPER_ARM * FORESHORTENED;
                double fa = FOREARM * FORESHORTENED;
                double[] left = Skeleton.reach(-SHOULDER_HALF, -TRUNK, -hand, chest, ua, fa, -0.3, 1);
                double[] right = Skeleton.reach(SHOULDER_HALF, -TRUNK, hand, chest, ua, fa, 0.3, 1);
                Pose pose = new Pose(true, 0, left[0], left[1], right[0], right[1], -0.07, 0, 0.07, 0, FORESHORTENED);
                return standing(pose, look, x, ground, 0);
            }

            @Override
            public double[] eventTimes() {
                return ActionRecipe.periodic(-phase0 / (2 * Math.PI) / freq, 1 / freq, duration);
            }
        };
    }

    /**
     * Juggling three balls in a cascade, front view: throws alternate hands every beat, each ball
     * flies for two beats to the other hand and is carried for one. A soft click at every catch.
     */
    static Performer juggling(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.6);
        double x = st.x(rng, 0.22);
        double ground = groundLine(st, rng, look.height());
        double beat = rng.nextDouble(0.22, 0.32);
        double offset = rng.nextDouble(6 * beat);
        double throwHeight = rng.nextDouble(0.4, 0.6);
        double handY = -rng.nextDouble(0.09, 0.14);
        double inner = 0.05;
        double outer = 0.17;
        double ballRadius = 0.05;
        Color[] balls = {st.palette().foreground(rng), st.palette().foreground(rng), st.palette().foreground(rng)};
        return new Act() {
            /** Body-space position of ball {@code k} at beat time {@code tau}. */
            double[] ball(int k, double tau) {
                double n = k + 3 * Math.floor((tau - k) / 3);
                double u = tau - n;
                int side = Math.floorMod((long) n, 2) == 0 ? -1 : 1;
                if (u < 2) {
                    double f = u / 2;
                    return new double[] {side * inner + (-side * outer - side * inner) * f,
                            handY - throwHeight * 4 * f * (1 - f)};
                }
                double f = u - 2;
                return new double[] {-side * outer + (-side * inner + side * outer) * f, handY + 0.03 * Math.sin(Math.PI * f)};
            }

            /** Body-space position of the hand on {@code side} at beat time {@code tau}. */
            double[] hand(int side, double tau) {
                // This hand throws on beats of one parity: even beats for the left (-1) hand.
                double m = 2 * Math.floor((tau - (side < 0 ? 0 : 1)) / 2) + (side < 0 ? 0 : 1);
                double w = tau - m;
                if (w < 1) {
                    return new double[] {side * (inner + (outer - inner) * w), handY - 0.02 * Math.sin(Math.PI * w)};
                }
                double f = w - 1;
                return new double[] {side * (outer + (inner - outer) * f), handY + 0.03 * Math.sin(Math.PI * f)};
            }

            double pelvisY() {
                return ground - Skeleton.ankleDepth(stand()) * look.height();
            }

            Pose stand() {
                return new Pose(true, 0, 0, 0, 0, 0, -0.07, 0, 0.07, 0);
            }

            @Override
            Placed figure(double t) {
                double tau = (t + offset) / beat;
                double[] l = hand(-1, tau);
                double[] r = hand(1, tau);
                double ua = UPPER_ARM * FORESHORTENED;
                double fa = FOREARM * FORESHORTENED;
                double[] left = Skeleton.reach(-SHOULDER_HALF, -TRUNK, l[0], l[1], ua, fa, -0.3, 1);
                double[] right = Skeleton.reach(SHOULDER_HALF, -TRUNK, r[0], r[1], ua, fa, 0.3, 1);
                Pose pose = new Pose(true, 0, left[0], left[1], right[0], right[1], -0.07, 0, 0.07, 0, FORESHORTENED);
                return new Placed(pose, look, x, pelvisY(), 1);
            }

            @Override
            void drawFront(Graphics2D g, double t) {
                double tau = (t + offset) / beat;
                double h = look.height();
                double r = ballRadius * h;
                double py = pelvisY();
                for (int k = 0; k < 3; k++) {
                    double[] b = ball(k, tau);
                    g.setColor(balls[k]);
                    g.fill(new Ellipse2D.Double(x + b[0] * h - r, py + (b[1] - ballRadius) * h - r, 2 * r, 2 * r));
                }
            }

            @Override
            Rectangle2D propBounds(double t) {
                double tau = (t + offset) / beat;
                double h = look.height();
                double py = pelvisY();
                Rectangle2D box = null;
                for (int k = 0; k < 3; k++) {
                    double[] b = ball(k, tau);
                    Rectangle2D one = new Rectangle2D.Double(x + (b[0] - ballRadius) * h,
                            py + (b[1] - 2 * ballRadius) * h, 2 * ballRadius * h, 2 * ballRadius * h);
                    box = box == null ? one : box.createUnion(one);
                }
                return box;
            }

            @Override
            public double[] eventTimes() {
                return ActionRecipe.periodic(-offset, beat, duration);
            }
        };
    }

    /**
     * Knocking on a door, side view: a figure stands before a door seen edge-on and raps on it with
     * one fist, in bursts of two to four knocks a fifth of a second apart with a pause between
     * bursts, the burst's phase uniform. The events are the moments the fist meets the door; whether
     * they sound is the class's {@link Timbre} ({@code knocking} does, {@code miming_knock} does not).
     */
    static Performer knock(Stage st, double duration, SplittableRandom rng) {
        Look look = Look.random(rng, st.palette(), 0.42, 0.62);
        int facing = rng.nextBoolean() ? 1 : -1;
        double x = st.x(rng, 0.25);
        double ground = groundLine(st, rng, look.height());
        int knocks = 2 + rng.nextInt(3);
        double spacing = rng.nextDouble(0.16, 0.24);
        double pause = rng.nextDouble(0.45, 0.8);
        double cycle = (knocks - 1) * spacing + pause;
        double offset = rng.nextDouble(cycle);
        double swing = rng.nextDouble(0.06, 0.09);
        Color doorColor = st.palette().midtone(rng);
        double h = look.height();
        double armLength = UPPER_ARM + FOREARM;
        // The fist at full reach touches the door's near face.
        double doorX = x + facing * (armLength - 0.02) * h;
        double doorWidth = 0.05 * h;
        double doorTop = ground - 1.15 * h;
        Pose stand = new Pose(false, 0.03, 0, 0, 0, 0, 0.04, 0, -0.04, 0);
        double pelvisY = ground - Skeleton.ankleDepth(stand) * h;
        return new Act() {
            /** How far the fist is drawn back from the door, in body units: zero at each knock. */
            double drawBack(double t) {
                double u = t + offset;
                u -= Math.floor(u / cycle) * cycle;
                double burst = (knocks - 1) * spacing;
                if (u < burst) {
                    return swing * Math.sin(Math.PI * (u / spacing - Math.floor(u / spacing)));
                }
                return 2 * swing * Math.sin(Math.PI * (u - burst) / pause);
            }

            @Override
            Placed figure(double t) {
                double[] arm = Skeleton.reach(0, -TRUNK, armLength - 0.02 - drawBack(t), -TRUNK + 0.03, UPPER_ARM, FOREARM, 0, 1);
                Pose pose = new Pose(false, 0.03, 0.12, 0.25, arm[0], arm[1], 0.04, 0, -0.04, 0);
                return new Placed(pose, look, x, pelvisY, facing);
            }

            @Override
            void drawBehind(Graphics2D g, double t) {
                g.setColor(doorColor);
                g.fill(door());
                g.setColor(doorColor.darker());
                double knob = 0.035 * h;
                g.fill(new Ellipse2D.Double(doorX - facing * knob - knob / 2, ground - 0.5 * h, knob, knob));
            }

            Rectangle2D door() {
                double near = facing > 0 ? doorX : doorX - doorWidth;
                return new Rectangle2D.Double(near, doorTop, doorWidth, ground - doorTop);
            }

            @Override
            Rectangle2D propBounds(double t) {
                return door();
            }

            @Override
            public double[] eventTimes() {
                java.util.List<Double> out = new java.util.ArrayList<>();
                for (int k = 0; k < knocks; k++) {
                    for (double e : ActionRecipe.periodic(k * spacing - offset, cycle, duration)) {
                        out.add(e);
                    }
                }
                return out.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            }
        };
    }
}

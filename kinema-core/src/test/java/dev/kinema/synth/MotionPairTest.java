package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Point2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The motion pairs: single frames must not tell the two classes apart, while motion must.
 *
 * <p>Frame statistics are compared between independent samples of the two classes (different
 * seeds), with a two-sample z-score per statistic; motion statistics (image-flow estimates from the
 * actor's pixels, or joint trajectories for figures) must separate the classes sample by sample.
 */
class MotionPairTest {
    private static final ClipSpec FRAMES = new ClipSpec(48, 48, 25, 12);
    private static final int SAMPLES = 48;
    private static final double MAX_Z = 4.5;

    /** The first class of each pair (the forward recipe) and the statistic that should be positive for it. */
    private static final Map<String, ToDoubleFunction<SynthSample>> MOTION = Map.of(
            "slide_right", MotionPairTest::horizontalFlow,
            "rotate_clockwise", MotionPairTest::rotationFlow,
            "approach", MotionPairTest::expansionFlow,
            "walk_forward", MotionPairTest::gaitDirection,
            "sit_down", MotionPairTest::headDrop);

    private static List<ActionClass[]> pairs() {
        List<ActionClass[]> out = new ArrayList<>();
        for (ActionClass c : KinemaMotion.classes(ActionKind.MOTION)) {
            ActionClass partner = KinemaMotion.get(c.pairedWith());
            if (c.index() < partner.index()) {
                out.add(new ActionClass[] {c, partner});
            }
        }
        return out;
    }

    @Test
    void everyPairHasAMotionStatistic() {
        assertEquals(MOTION.keySet(), pairs().stream().map(p -> p[0].name()).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void partnerFramesAreTheOriginalFramesInReverseOrder() {
        for (ActionClass[] pair : pairs()) {
            for (long seed = 1; seed <= 2; seed++) {
                SynthSample a = KinemaMotion.sample(pair[0], FRAMES, seed).withoutNoise();
                SynthSample b = KinemaMotion.sample(pair[1], FRAMES, seed).withoutNoise();
                int n = FRAMES.frames();
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(a.frame(i), b.frame(n - 1 - i), pair[0].name() + " frame " + i);
                }
            }
        }
    }

    @Test
    void singleFramesHaveTheSameStatisticsInBothClassesOfAPair() {
        for (ActionClass[] pair : pairs()) {
            boolean stationary = !pair[0].name().equals("sit_down");
            FrameStats a = FrameStats.of(pair[0], 1000);
            FrameStats b = FrameStats.of(pair[1], 2000);
            assertSimilar(pair, "pooled over time", a.pooled, b.pooled);
            assertSimilar(pair, "centre frame", a.centre, b.centre);
            if (stationary) {
                // Stationary pairs match at every index, even the first frame.
                assertSimilar(pair, "first frame", a.first, b.first);
            } else {
                // The statistics do have the power to see a difference: a sit-down clip starts
                // standing (a tall box), a stand-up clip starts seated.
                double z = z(a.first, b.first, FrameStats.BOX_HEIGHT);
                assertTrue(z > 6, "sit_down vs stand_up first frames should differ, z=" + z);
            }
        }
    }

    @Test
    void motionStatisticsSeparateThePairs() {
        ClipSpec clip = new ClipSpec(64, 64, 25, 40);
        for (ActionClass[] pair : pairs()) {
            ToDoubleFunction<SynthSample> stat = MOTION.get(pair[0].name());
            int right = 0;
            int n = 12;
            for (int k = 0; k < n; k++) {
                if (stat.applyAsDouble(KinemaMotion.sample(pair[0], clip, 300 + k)) > 0) {
                    right++;
                }
                if (stat.applyAsDouble(KinemaMotion.sample(pair[1], clip, 400 + k)) < 0) {
                    right++;
                }
            }
            assertTrue(right >= 2 * n * 0.9, pair[0].name() + "/" + pair[1].name() + ": motion statistic right for "
                    + right + " of " + 2 * n);
        }
    }

    private static void assertSimilar(ActionClass[] pair, String where, double[][] a, double[][] b) {
        for (int f = 0; f < FrameStats.NAMES.length; f++) {
            double z = z(a, b, f);
            assertTrue(z < MAX_Z, pair[0].name() + " vs " + pair[1].name() + ", " + where + ": "
                    + FrameStats.NAMES[f] + " differs, z=" + z);
        }
    }

    /** Two-sample z-score of feature {@code f} (rows are samples). */
    private static double z(double[][] a, double[][] b, int f) {
        double ma = mean(a, f);
        double mb = mean(b, f);
        double se = Math.sqrt(var(a, f, ma) / a.length + var(b, f, mb) / b.length);
        return Math.abs(ma - mb) / Math.max(se, 1e-9);
    }

    private static double mean(double[][] rows, int f) {
        double s = 0;
        for (double[] r : rows) {
            s += r[f];
        }
        return s / rows.length;
    }

    private static double var(double[][] rows, int f, double mean) {
        double s = 0;
        for (double[] r : rows) {
            s += (r[f] - mean) * (r[f] - mean);
        }
        return s / (rows.length - 1);
    }

    /** Per-sample single-frame features: at the first frame, the centre frame, and averaged over all frames. */
    private static final class FrameStats {
        static final String[] NAMES = {"mean red", "mean green", "mean blue", "dark pixels", "mid-dark pixels",
            "mid-light pixels", "light pixels", "actor box x", "actor box y", "actor box width", "actor box height"};
        static final int BOX_HEIGHT = 10;
        final double[][] first = new double[SAMPLES][];
        final double[][] centre = new double[SAMPLES][];
        final double[][] pooled = new double[SAMPLES][];

        static FrameStats of(ActionClass c, long seed0) {
            FrameStats s = new FrameStats();
            int n = FRAMES.frames();
            for (int k = 0; k < SAMPLES; k++) {
                SynthSample sample = KinemaMotion.sample(c, FRAMES, seed0 + k);
                double[] sum = new double[NAMES.length];
                for (int i = 0; i < n; i++) {
                    double[] f = features(sample, i);
                    for (int j = 0; j < f.length; j++) {
                        sum[j] += f[j] / n;
                    }
                    if (i == 0) {
                        s.first[k] = f;
                    }
                    if (i == n / 2) {
                        s.centre[k] = f;
                    }
                }
                s.pooled[k] = sum;
            }
            return s;
        }

        static double[] features(SynthSample s, int i) {
            byte[] rgb = s.frame(i);
            double[] f = new double[NAMES.length];
            int pixels = rgb.length / 3;
            for (int o = 0; o < rgb.length; o += 3) {
                int r = rgb[o] & 0xff;
                int g = rgb[o + 1] & 0xff;
                int b = rgb[o + 2] & 0xff;
                f[0] += r / 255.0 / pixels;
                f[1] += g / 255.0 / pixels;
                f[2] += b / 255.0 / pixels;
                int bin = Math.min(3, (int) ((0.299 * r + 0.587 * g + 0.114 * b) / 64));
                f[3 + bin] += 1.0 / pixels;
            }
            List<ActorBox> boxes = s.boxes(i);
            if (!boxes.isEmpty()) {
                ActorBox box = boxes.get(0);
                f[7] = box.centerX() / FRAMES.width();
                f[8] = box.centerY() / FRAMES.height();
                f[9] = box.width() / FRAMES.width();
                f[10] = box.height() / FRAMES.height();
            }
            return f;
        }
    }

    // ---- motion statistics -------------------------------------------------------------------

    /** The actor's own pixels: |frame with actor - frame without|, summed over channels, noise-free. */
    private static float[][] foreground(SynthSample sample) {
        SynthSample clean = sample.withoutNoise();
        SynthSample empty = clean.withoutActors();
        int n = sample.spec().frames();
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            byte[] a = clean.frame(i);
            byte[] b = empty.frame(i);
            float[] f = new float[a.length / 3];
            for (int p = 0; p < f.length; p++) {
                f[p] = Math.abs((a[3 * p] & 0xff) - (b[3 * p] & 0xff)) + Math.abs((a[3 * p + 1] & 0xff) - (b[3 * p + 1] & 0xff))
                        + Math.abs((a[3 * p + 2] & 0xff) - (b[3 * p + 2] & 0xff));
            }
            out[i] = f;
        }
        return out;
    }

    /**
     * Least-squares fit of the brightness-constancy equation It + Σ_k p_k (basis_k · ∇I) = 0 over every
     * pixel of consecutive foreground frames; {@code basis} gives, per pixel, the flow fields (u, v) of
     * each parameter. Returns the parameters.
     */
    private static double[] fitFlow(SynthSample sample, FlowBasis basis, int params) {
        float[][] fg = foreground(sample);
        int w = sample.spec().width();
        int h = sample.spec().height();
        double[][] ata = new double[params][params];
        double[] atb = new double[params];
        double[] row = new double[params];
        for (int t = 0; t + 1 < fg.length; t++) {
            Point2D centre = centre(sample, t);
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    int p = y * w + x;
                    double ix = ((fg[t][p + 1] - fg[t][p - 1]) + (fg[t + 1][p + 1] - fg[t + 1][p - 1])) / 4.0;
                    double iy = ((fg[t][p + w] - fg[t][p - w]) + (fg[t + 1][p + w] - fg[t + 1][p - w])) / 4.0;
                    double it = fg[t + 1][p] - fg[t][p];
                    if (ix == 0 && iy == 0 && it == 0) {
                        continue;
                    }
                    basis.row(x - centre.getX(), y - centre.getY(), ix, iy, row);
                    for (int i = 0; i < params; i++) {
                        atb[i] -= row[i] * it;
                        for (int j = 0; j < params; j++) {
                            ata[i][j] += row[i] * row[j];
                        }
                    }
                }
            }
        }
        return solve(ata, atb);
    }

    private static Point2D centre(SynthSample sample, int frame) {
        List<ActorBox> boxes = sample.boxes(frame);
        if (boxes.isEmpty()) {
            return new Point2D.Double(sample.spec().width() / 2.0, sample.spec().height() / 2.0);
        }
        return new Point2D.Double(boxes.get(0).centerX(), boxes.get(0).centerY());
    }

    @FunctionalInterface
    private interface FlowBasis {
        void row(double x, double y, double ix, double iy, double[] out);
    }

    /** Horizontal velocity of the actor's pixels: positive when they move right. */
    static double horizontalFlow(SynthSample s) {
        return fitFlow(s, (x, y, ix, iy, out) -> {
            out[0] = ix;
            out[1] = iy;
        }, 2)[0];
    }

    /** Angular velocity about the actor's box centre: positive clockwise on screen (y points down). */
    static double rotationFlow(SynthSample s) {
        return fitFlow(s, (x, y, ix, iy, out) -> {
            out[0] = -y * ix + x * iy;
            out[1] = ix;
            out[2] = iy;
        }, 3)[0];
    }

    /** Expansion rate about a fitted centre: positive when the actor's pixels spread outward (looming). */
    static double expansionFlow(SynthSample s) {
        return fitFlow(s, (x, y, ix, iy, out) -> {
            out[0] = x * ix + y * iy;
            out[1] = ix;
            out[2] = iy;
        }, 3)[0];
    }

    /**
     * From the walker's joints alone: the correlation between knee flexion and the foot's velocity
     * toward the figure's front (which way it faces is read from which way the knees bend). In
     * forward walking the foot swings forward while the knee is bent, so the correlation is positive.
     */
    static double gaitDirection(SynthSample s) {
        Actor actor = s.scene().actors().get(0);
        int n = s.spec().frames();
        double[] flex = new double[n];
        double[] foot = new double[n];
        double facing = 0;
        for (int i = 0; i < n; i++) {
            Point2D[] j = actor.keypoints(s.spec().time(i));
            Point2D hip = j[Skeleton.Joint.L_HIP.ordinal()];
            Point2D knee = j[Skeleton.Joint.L_KNEE.ordinal()];
            Point2D ankle = j[Skeleton.Joint.L_ANKLE.ordinal()];
            facing += knee.getX() - (hip.getX() + ankle.getX()) / 2;
            flex[i] = -hip.distance(ankle);
            foot[i] = ankle.getX() - hip.getX();
        }
        double sign = Math.signum(facing);
        double[] a = new double[n - 1];
        double[] b = new double[n - 1];
        for (int i = 0; i + 1 < n; i++) {
            a[i] = (flex[i] + flex[i + 1]) / 2;
            b[i] = sign * (foot[i + 1] - foot[i]);
        }
        return correlation(a, b);
    }

    /** How far the head drops over the clip (y points down): positive when sitting down. */
    static double headDrop(SynthSample s) {
        Actor actor = s.scene().actors().get(0);
        int head = Skeleton.Joint.HEAD.ordinal();
        double first = actor.keypoints(s.spec().time(0))[head].getY();
        double last = actor.keypoints(s.spec().time(s.spec().frames() - 1))[head].getY();
        return last - first;
    }

    private static double correlation(double[] a, double[] b) {
        double ma = java.util.Arrays.stream(a).average().orElse(0);
        double mb = java.util.Arrays.stream(b).average().orElse(0);
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += (a[i] - ma) * (b[i] - mb);
            aa += (a[i] - ma) * (a[i] - ma);
            bb += (b[i] - mb) * (b[i] - mb);
        }
        return ab / Math.sqrt(aa * bb + 1e-18);
    }

    /** Gaussian elimination with partial pivoting for a small system. */
    private static double[] solve(double[][] m, double[] v) {
        int n = v.length;
        double[][] a = new double[n][];
        double[] b = v.clone();
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[p][c])) {
                    p = r;
                }
            }
            double[] tr = a[c];
            a[c] = a[p];
            a[p] = tr;
            double tb = b[c];
            b[c] = b[p];
            b[p] = tb;
            for (int r = c + 1; r < n; r++) {
                double k = a[r][c] / a[c][c];
                for (int j = c; j < n; j++) {
                    a[r][j] -= k * a[c][j];
                }
                b[r] -= k * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int j = r + 1; j < n; j++) {
                s -= a[r][j] * x[j];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }
}

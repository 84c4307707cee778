package dev.kinema.explain;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.io.FloatTensor;
import dev.kinema.models.VideoModel;
import dev.kinema.video.VideoFrames;
import dev.kinema.viz.Heatmaps;
import java.util.SplittableRandom;

/**
 * Class-score optimisation (Simonyan et al. 2014), extended to video as in Feichtenhofer et al.
 * 2018: gradient ascent on the input clip x (RGB, a flow stack, or both for a two-stream model) to
 * maximise one class's score S_k, from seeded noise or from a real clip, with regularisers:
 * <pre>
 *   maximise  S_k(x) − l2·Σ x² − tv·Σ (Δ_h x² + Δ_w x²) − λ·Σ Δ_t x²
 * </pre>
 * (sums, as Simonyan et al.'s {@code λ‖I‖²}).
 * L2 keeps values small, total variation (squared differences between neighbouring pixels) keeps
 * them smooth in space, and the <b>temporal smoothness</b> λ between neighbouring frames decides the
 * motion: a strong λ allows only slow change (slow motion), a weak one fast change.
 *
 * <p>Each step is one forward and backward pass (one {@code GradientCollector}, closed before the
 * next) in inference mode (BatchNorm on its running statistics) for the score's gradient g, then
 * {@code x += rate·(g / rms(g) - ∇penalties)}: the score's gradient is normalised, so the weights
 * are scale-free (a weight of 1 pulls as hard as the score pushes) and one rate works across models
 * whatever the scale of their scores.
 * RGB values are kept within what the model's normalisation of bytes 0..255 can produce. The
 * result is deterministic for a seed.
 */
public final class ClassScoreOptimiser {
    private final int steps;
    private final double rate;
    private final double l2;
    private final double tv;
    private final double temporalSmoothness;
    private final long seed;

    private ClassScoreOptimiser(Builder b) {
        steps = b.steps;
        rate = b.rate;
        l2 = b.l2;
        tv = b.tv;
        temporalSmoothness = b.temporalSmoothness;
        seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * What came out.
     *
     * @param clip the optimised input C×T×H×W, as the model takes it (normalised)
     * @param scores the class score before each step, and after the last (steps + 1 values)
     */
    public record Result(int target, FloatTensor clip, double[] scores) {
        /** The score's rise, last over first (first is the start's, often near zero: see {@link #gain}). */
        public double gain() {
            return scores[scores.length - 1] - scores[0];
        }
    }

    /**
     * Optimises from seeded noise (standard deviation 0.1 in normalised units) for {@code target}.
     *
     * @param normalization the model's RGB statistics, to keep RGB values in range
     */
    public Result fromNoise(VideoModel model, int target, Normalization normalization) {
        Shape s = model.inputShape();
        float[] x = new float[(int) s.size()];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.1 * gaussian(rng));
        }
        return optimise(model, target, new FloatTensor(s.getShape(), x), normalization);
    }

    /** Optimises from {@code start} (C×T×H×W, normalised as the model takes it). */
    public Result optimise(VideoModel model, int target, FloatTensor start, Normalization normalization) {
        Shape shape = new Shape(start.shape());
        if (!shape.equals(model.inputShape())) {
            throw new IllegalArgumentException(model.name() + " takes " + model.inputShape() + ", the start clip is " + shape);
        }
        int classes = model.config().numClasses();
        GradCam.checkTarget(target, classes);
        float[] x = start.data().clone();
        double[] scores = new double[steps + 1];
        int channels = (int) shape.get(0);
        int plane = (int) (shape.get(1) * shape.get(2) * shape.get(3));
        float[][] range = range(channels, normalization);
        for (int step = 0; step <= steps; step++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray input = manager.create(x, new Shape(1).addAll(shape));
                input.setRequiresGradient(true);
                NDArray grad;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray score = model.forward(new ParameterStore(manager, false), new NDList(input), false)
                            .singletonOrThrow().get(0, target);
                    scores[step] = score.getFloat();
                    if (step == steps) {
                        break;
                    }
                    collector.backward(score);
                    grad = input.getGradient();
                }
                float[] g = grad.toFloatArray();
                double rms = 0;
                for (float v : g) {
                    rms += v * (double) v;
                }
                rms = Math.sqrt(rms / g.length) + 1e-12;
                float[] penalty = penaltyGradient(x, shape);
                for (int i = 0; i < x.length; i++) {
                    int c = i / plane;
                    float v = (float) (x[i] + rate * (g[i] / rms - penalty[i]));
                    x[i] = range[c] == null ? v : Math.max(range[c][0], Math.min(range[c][1], v));
                }
            }
        }
        return new Result(target, new FloatTensor(start.shape(), x), scores);
    }

    /**
     * The gradient of the penalties {@code l2·Σx² + tv·Σ(Δ_h x² + Δ_w x²) + λ·Σ Δ_t x²} at x
     * (C×T×H×W): {@code 2·l2·x}, and for each pair of neighbours a pull of {@code 2·w·(x_i - x_j)}.
     */
    private float[] penaltyGradient(float[] x, Shape shape) {
        int c = (int) shape.get(0);
        int t = (int) shape.get(1);
        int h = (int) shape.get(2);
        int w = (int) shape.get(3);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (2 * l2 * x[i]);
        }
        for (int ci = 0; ci < c; ci++) {
            for (int ti = 0; ti < t; ti++) {
                for (int y = 0; y < h; y++) {
                    for (int xi = 0; xi < w; xi++) {
                        int i = ((ci * t + ti) * h + y) * w + xi;
                        pull(x, out, i, xi + 1 < w ? i + 1 : -1, tv);
                        pull(x, out, i, y + 1 < h ? i + w : -1, tv);
                        pull(x, out, i, ti + 1 < t ? i + h * w : -1, temporalSmoothness);
                    }
                }
            }
        }
        return out;
    }

    /** Adds the gradient of {@code weight·(x_j - x_i)²} to both ends; {@code j < 0}: no neighbour. */
    private static void pull(float[] x, float[] out, int i, int j, double weight) {
        if (j < 0 || weight == 0) {
            return;
        }
        float d = (float) (2 * weight * (x[i] - x[j]));
        out[i] += d;
        out[j] -= d;
    }

    /** Per channel, the normalised values of bytes 0 and 255 for RGB channels; null (free) for flow. */
    private static float[][] range(int channels, Normalization n) {
        float[][] out = new float[channels][];
        if (channels == 2) {
            return out;
        }
        for (int c = 0; c < 3; c++) {
            out[c] = new float[] {n.apply(c, 0), n.apply(c, 255)};
        }
        return out;
    }

    /** The optimised clip as pictures: RGB frames, flow on the colour wheel, or both side by side. */
    public static VideoFrames pictures(FloatTensor clip, Normalization normalization) {
        long[] s = clip.shape();
        int c = (int) s[0];
        int t = (int) s[1];
        int h = (int) s[2];
        int w = (int) s[3];
        int plane = t * h * w;
        VideoFrames rgb = null;
        if (c == 3 || c == 5) {
            byte[] bytes = new byte[plane * 3];
            float[] mean = normalization.mean();
            float[] std = normalization.std();
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < plane; p++) {
                    float v = (clip.data()[ch * plane + p] * std[ch] + mean[ch]) * 255;
                    bytes[p * 3 + ch] = (byte) Math.max(0, Math.min(255, Math.round(v)));
                }
            }
            rgb = new VideoFrames(bytes, t, h, w);
        }
        if (c == 3) {
            return rgb;
        }
        float[] flow = new float[2 * plane];
        System.arraycopy(clip.data(), (c - 2) * plane, flow, 0, 2 * plane);
        VideoFrames colours = FlowPictures.of(new FloatTensor(new long[] {2, t, h, w}, flow));
        return rgb == null ? colours : Heatmaps.sideBySide(rgb, colours);
    }

    private static double gaussian(SplittableRandom rng) {
        double u = 1 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** DJL-style builder; defaults: 100 steps, rate 0.05, l2 0.01, tv 0.05, temporal smoothness 1, seed 0. */
    public static final class Builder {
        private int steps = 100;
        private double rate = 0.05;
        private double l2 = 0.01;
        private double tv = 0.05;
        private double temporalSmoothness = 1;
        private long seed;

        private Builder() {}

        public Builder optSteps(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps must be at least 1, got " + steps);
            }
            this.steps = steps;
            return this;
        }

        public Builder optRate(double rate) {
            this.rate = positive("rate", rate);
            return this;
        }

        public Builder optL2(double l2) {
            this.l2 = nonNegative("l2", l2);
            return this;
        }

        public Builder optTotalVariation(double tv) {
            this.tv = nonNegative("tv", tv);
            return this;
        }

        /** λ: the weight of the squared change between neighbouring frames. */
        public Builder optTemporalSmoothness(double lambda) {
            this.temporalSmoothness = nonNegative("temporal smoothness", lambda);
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public ClassScoreOptimiser build() {
            return new ClassScoreOptimiser(this);
        }

        private static double positive(String what, double v) {
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " must be positive, got " + v);
            }
            return v;
        }

        private static double nonNegative(String what, double v) {
            if (!(v >= 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(what + " must be >= 0, got " + v);
            }
            return v;
        }
    }
}

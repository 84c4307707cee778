package dev.kinema.localization;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.Segment;
import dev.kinema.engine.Scalars;
import dev.kinema.eval.detection.TemporalNms;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Learned temporal proposals after BSN (Lin et al. 2018): its Temporal Evaluation Module (TEM), a
 * three-layer temporal convolution network over snippet features that outputs, for every snippet,
 * the probability that an action starts there, ends there, or is in progress, trained with BSN's
 * class-balanced binary cross-entropy; then its proposal generation: every start candidate (a local
 * peak of the start probability, or above half its maximum) paired with every later end candidate
 * within {@code maxSeconds}, scored {@code p_start · p_end}, and MMAction2's soft-NMS. BSN's third
 * stage, the Proposal Evaluation Module ({@link ProposalEvaluation}: an MLP over boundary-sensitive
 * features of the TEM's curves), multiplies in its confidence when it is given.
 *
 * <p>The snippet features are the clip classifier's class probabilities every {@link ClipScores}
 * step (the classifier that sliding windows use), so a proposal is classified by the classifier's
 * mean probabilities inside it: each proposal is reported with its two most probable non-background
 * classes, scored {@code proposal score × class probability}.
 */
public final class BoundaryProposals implements AutoCloseable {
    private static final int HIDDEN = 32;

    private final Model model;
    private final int features;

    private BoundaryProposals(Model model, int features) {
        this.model = model;
        this.features = features;
    }

    private static SequentialBlock tem() {
        return new SequentialBlock()
                .add(Conv1d.builder().setKernelShape(new Shape(3)).setFilters(HIDDEN).optPadding(new Shape(1)).build())
                .add(Activation::relu)
                .add(Conv1d.builder().setKernelShape(new Shape(3)).setFilters(HIDDEN).optPadding(new Shape(1)).build())
                .add(Activation::relu)
                .add(Conv1d.builder().setKernelShape(new Shape(1)).setFilters(3).build());
    }

    private static BoundaryProposals create(int features, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("bsn-tem");
        SequentialBlock block = tem();
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, features, 16));
        model.setBlock(block);
        return new BoundaryProposals(model, features);
    }

    /** The TEM's inputs: log class probabilities, features × snippets. */
    private static float[] input(ClipScores s) {
        int k = s.labels().size();
        float[] x = new float[k * s.clips()];
        for (int j = 0; j < s.clips(); j++) {
            for (int c = 0; c < k; c++) {
                x[c * s.clips() + j] = (float) Math.log(Math.max(1e-6, s.probabilities()[j][c]));
            }
        }
        return x;
    }

    /**
     * BSN's targets per snippet: start (end) where the snippet's centre is within a boundary region
     * of half-width {@code max(step, 0.1 × instance length)} around an instance's start (end);
     * actionness inside an instance.
     */
    static float[][] targets(ClipScores s, List<Segment> truth) {
        double step = s.clips() > 1 ? s.starts()[1] - s.starts()[0] : 0.5;
        float[][] y = new float[3][s.clips()];
        for (int j = 0; j < s.clips(); j++) {
            double t = s.centre(j);
            for (Segment g : truth) {
                double r = Math.max(step, 0.1 * g.length());
                y[0][j] = Math.abs(t - g.start()) <= r ? 1 : y[0][j];
                y[1][j] = Math.abs(t - g.end()) <= r ? 1 : y[1][j];
                y[2][j] = t >= g.start() && t <= g.end() ? 1 : y[2][j];
            }
        }
        return y;
    }

    /**
     * Fits a TEM to training videos and their ground truth (SGD with momentum, one video per step).
     *
     * @param truth each video's instances, in the order of {@code videos}
     */
    public static BoundaryProposals fit(List<ClipScores> videos, List<List<Segment>> truth, int epochs, double lr, long seed) {
        int k = videos.get(0).labels().size();
        BoundaryProposals p = create(k, seed);
        SequentialBlock block = (SequentialBlock) p.model.getBlock();
        NDManager root = p.model.getNDManager();
        MomentumSgd sgd = new MomentumSgd(root);
        java.util.Random order = new java.util.Random(seed);
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < videos.size(); i++) {
            indices.add(i);
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            java.util.Collections.shuffle(indices, order);
            for (int i : indices) {
                ClipScores s = videos.get(i);
                try (NDManager step = root.newSubManager()) {
                    NDArray x = step.create(input(s), new Shape(1, k, s.clips()));
                    float[][] t = targets(s, truth.get(i));
                    NDArray y = step.create(new float[][] {t[0], t[1], t[2]}).reshape(1, 3, s.clips());
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
                        collector.backward(balancedBce(logits, y));
                    }
                    sgd.step(block, lr, step);
                }
            }
        }
        return p;
    }

    /** BSN's loss: per output, positives and negatives each weigh half, whatever their counts. */
    private static NDArray balancedBce(NDArray logits, NDArray y) {
        NDArray p = Activation.sigmoid(logits);
        NDArray eps = p.getManager().create(1e-6f);
        NDArray n = y.getManager().create((float) y.getShape().get(2));
        NDArray positives = Scalars.maximum(y.sum(new int[] {2}, true), 1);
        NDArray negatives = Scalars.maximum(n.sub(y.sum(new int[] {2}, true)), 1);
        NDArray pos = y.mul(p.add(eps).log()).sum(new int[] {2}, true).div(positives);
        NDArray neg = y.neg().add(1).mul(p.neg().add(1).add(eps).log()).sum(new int[] {2}, true).div(negatives);
        return Scalars.mul(pos.add(neg), -0.5).mean();
    }

    /** Start, end and actionness probability of every snippet: 3 × snippets. */
    public float[][] boundaries(ClipScores s) {
        if (s.labels().size() != features) {
            throw new IllegalArgumentException("this TEM takes " + features + " features per snippet, the classifier gives " + s.labels().size());
        }
        try (NDManager step = model.getNDManager().newSubManager()) {
            NDArray x = step.create(input(s), new Shape(1, features, s.clips()));
            NDArray logits = model.getBlock().forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow();
            float[] flat = Activation.sigmoid(logits).toFloatArray();
            float[][] out = new float[3][s.clips()];
            for (int o = 0; o < 3; o++) {
                System.arraycopy(flat, o * s.clips(), out[o], 0, s.clips());
            }
            return out;
        }
    }

    /** A candidate proposal in seconds, before soft-NMS: its boundary snippets and {@code p_start · p_end}. */
    record Candidate(int startSnippet, int endSnippet, double start, double end, double boundaryScore) {}

    /**
     * BSN's proposal generation: every start candidate paired with every later end candidate at most
     * {@code maxSeconds} after it, from the TEM's curves {@code b} ({@link #boundaries}).
     */
    static List<Candidate> candidates(ClipScores s, float[][] b, double maxSeconds) {
        List<Candidate> out = new ArrayList<>();
        for (int i : candidates(b[0])) {
            for (int j : candidates(b[1])) {
                double a = s.centre(i);
                double e = s.centre(j);
                if (e > a && e - a <= maxSeconds) {
                    out.add(new Candidate(i, j, a, e, b[0][i] * b[1][j]));
                }
            }
        }
        return out;
    }

    /** Class-agnostic proposals of one video, in seconds, best first (after soft-NMS), scored by the TEM alone. */
    public List<Segment> proposals(ClipScores s, double maxSeconds, int topK) {
        return proposals(s, maxSeconds, topK, null);
    }

    /**
     * Class-agnostic proposals of one video, in seconds, best first (after soft-NMS): scored
     * {@code p_start · p_end}, times the PEM's confidence when {@code pem} is given (BSN's final score).
     */
    public List<Segment> proposals(ClipScores s, double maxSeconds, int topK, ProposalEvaluation pem) {
        float[][] b = boundaries(s);
        List<Candidate> candidates = candidates(s, b, maxSeconds);
        double[] confidence = pem == null ? null : pem.score(s, b, candidates);
        String id = ActivityNetJson.videoId(SlidingWindows.stem(s.video()));
        double duration = s.duration();
        List<Segment> raw = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) {
            Candidate p = candidates.get(c);
            double score = p.boundaryScore() * (confidence == null ? 1 : confidence[c]);
            // Normalised time: soft-NMS's width-dependent threshold expects [0, 1] (BSN, MMAction2).
            raw.add(new Segment(id, p.start() / duration, p.end() / duration, "", score));
        }
        List<Segment> kept = TemporalNms.softNms(raw, 0.75, 0.65, 0.9, topK);
        List<Segment> out = new ArrayList<>();
        for (Segment p : kept.subList(0, Math.min(topK, kept.size()))) {
            out.add(new Segment(id, p.start() * duration, p.end() * duration, "", p.score()));
        }
        out.sort(Comparator.comparingDouble(Segment::score).reversed());
        return out;
    }

    /** Proposals (TEM only) classified by the classifier's mean probabilities inside each, two classes each. */
    public List<Segment> localize(ClipScores s, double maxSeconds, int topK) {
        return localize(s, maxSeconds, topK, null);
    }

    /**
     * Proposals (scored with the PEM when {@code pem} is given) classified by the classifier's mean
     * probabilities inside each, two classes each.
     */
    public List<Segment> localize(ClipScores s, double maxSeconds, int topK, ProposalEvaluation pem) {
        int background = s.labels().indexOf(SlidingWindows.BACKGROUND);
        List<Segment> out = new ArrayList<>();
        for (Segment p : proposals(s, maxSeconds, topK, pem)) {
            double[] mean = SlidingWindows.meanOver(s, p.start(), p.end());
            if (mean == null) {
                continue;
            }
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < mean.length; c++) {
                if (c != background) {
                    order.add(c);
                }
            }
            order.sort(Comparator.comparingDouble(c -> -mean[c]));
            for (int c : order.subList(0, Math.min(2, order.size()))) {
                out.add(new Segment(p.videoId(), p.start(), p.end(), s.labels().get(c), p.score() * mean[c]));
            }
        }
        out.sort(Comparator.comparingDouble(Segment::score).reversed());
        return out;
    }

    /** Local maxima, and every snippet above half the maximum (BSN's candidate rule). */
    static List<Integer> candidates(float[] p) {
        float max = 0;
        for (float v : p) {
            max = Math.max(max, v);
        }
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < p.length; j++) {
            boolean peak = (j == 0 || p[j] > p[j - 1]) && (j == p.length - 1 || p[j] > p[j + 1]);
            if (peak || p[j] > 0.5 * max) {
                out.add(j);
            }
        }
        return out;
    }

    /** Saves the TEM's parameters (DJL's format) and its feature count. */
    public void save(Path file) throws IOException {
        dev.kinema.io.AtomicFiles.write(file, out -> {
            java.io.DataOutputStream data = new java.io.DataOutputStream(out);
            data.writeInt(features);
            model.getBlock().saveParameters(data);
            data.flush();
        });
    }

    /** Loads a TEM saved by {@link #save}. */
    public static BoundaryProposals load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); java.io.DataInputStream data = new java.io.DataInputStream(in)) {
            int features = data.readInt();
            BoundaryProposals p = create(features, 0);
            try {
                p.model.getBlock().loadParameters(p.model.getNDManager(), data);
            } catch (ai.djl.MalformedModelException e) {
                p.close();
                throw new IOException(file + ": not a saved TEM (" + e.getMessage() + ")", e);
            }
            return p;
        }
    }

    @Override
    public void close() {
        model.close();
    }
}

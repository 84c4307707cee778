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
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import dev.kinema.data.annotations.Segment;
import dev.kinema.engine.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * BSN's Proposal Evaluation Module (Lin et al. 2018, section 3.4; MMAction2's {@code PEM}): a small
 * MLP that scores how well a candidate proposal covers an instance (its regression target is the
 * proposal's highest tIoU with the ground truth), from the proposal's Boundary-Sensitive Proposal
 * features: the TEM's curves read by linear interpolation (zero outside the video) at
 * {@link #START_POINTS} points across the start region, {@link #ACTION_POINTS} inside the proposal
 * and {@link #END_POINTS} across the end region, each region {@link #BOUNDARY_RATIO} of the
 * proposal's length wide and centred on its boundary (MMAction2's {@code bsp_boundary_ratio}).
 * BSN samples the actionness curve in the three regions (32 values); Kinema adds the start curve in
 * the start region and the end curve in the end region (16 more), so the MLP sees how sharp each
 * boundary is. The final proposal score is {@code p_start · p_end · PEM} ({@link BoundaryProposals}).
 *
 * <p>Training follows MMAction2's PEM: a sigmoid output, smooth-L1 loss against the tIoU (on [0, 1]
 * it is half the squared error), and each epoch every proposal of tIoU above {@link #HIGH_IOU}, with
 * at most as many of tIoU in ({@link #LOW_IOU}, {@link #HIGH_IOU}] and twice as many at or below
 * {@link #LOW_IOU}, drawn at random (its {@code u_ratio_m = 1}, {@code u_ratio_l = 2}).
 */
public final class ProposalEvaluation implements AutoCloseable {
    public static final int START_POINTS = 8;
    public static final int ACTION_POINTS = 16;
    public static final int END_POINTS = 8;
    public static final double BOUNDARY_RATIO = 0.2;
    public static final double HIGH_IOU = 0.6;
    public static final double LOW_IOU = 0.2;
    /** BSP feature length: actionness in the three regions, then the start and end curves at their boundary. */
    public static final int FEATURES = START_POINTS + ACTION_POINTS + END_POINTS + START_POINTS + END_POINTS;
    private static final int HIDDEN = 64;
    private static final int MAGIC = 0x50454d31; // "PEM1"

    private final Model model;

    private ProposalEvaluation(Model model) {
        this.model = model;
    }

    private static ProposalEvaluation create(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        Model model = Model.newInstance("bsn-pem");
        SequentialBlock block = new SequentialBlock()
                .add(Linear.builder().setUnits(HIDDEN).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(1).build());
        block.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, FEATURES));
        model.setBlock(block);
        return new ProposalEvaluation(model);
    }

    /**
     * The BSP features of a proposal from {@code start} to {@code end} seconds, read from the TEM's
     * curves {@code b} (start, end, actionness: 3 × snippets) of {@code s}'s snippets.
     */
    static float[] features(ClipScores s, float[][] b, double start, double end) {
        double length = end - start;
        double half = BOUNDARY_RATIO * length / 2;
        float[] f = new float[FEATURES];
        int at = 0;
        at = sample(s, b[2], start - half, start + half, START_POINTS, f, at);
        at = sample(s, b[2], start, end, ACTION_POINTS, f, at);
        at = sample(s, b[2], end - half, end + half, END_POINTS, f, at);
        at = sample(s, b[0], start - half, start + half, START_POINTS, f, at);
        sample(s, b[1], end - half, end + half, END_POINTS, f, at);
        return f;
    }

    /** {@code n} values of {@code curve} at the centres of {@code n} equal parts of [from, to]. */
    private static int sample(ClipScores s, float[] curve, double from, double to, int n, float[] out, int at) {
        for (int k = 0; k < n; k++) {
            out[at + k] = (float) interpolate(s, curve, from + (k + 0.5) * (to - from) / n);
        }
        return at + n;
    }

    /**
     * The curve at time {@code t}: linear between snippet centres, the nearest snippet's value between
     * the video's edge and the first (last) centre, and zero outside the video (MMAction2 pads the
     * curve with zeros).
     */
    static double interpolate(ClipScores s, float[] curve, double t) {
        int n = s.clips();
        if (t < 0 || t > s.duration() || n == 0) {
            return 0;
        }
        if (t <= s.centre(0)) {
            return curve[0];
        }
        if (t >= s.centre(n - 1)) {
            return curve[n - 1];
        }
        int j = 0;
        while (s.centre(j + 1) < t) {
            j++;
        }
        double a = s.centre(j);
        double w = (t - a) / (s.centre(j + 1) - a);
        return curve[j] * (1 - w) + curve[j + 1] * w;
    }

    /** The highest tIoU of [start, end] with any ground-truth instance (0 when there is none). */
    static double bestIou(double start, double end, List<Segment> truth) {
        double best = 0;
        for (Segment g : truth) {
            best = Math.max(best, Segment.iou(start, end, g.start(), g.end()));
        }
        return best;
    }

    /** The PEM's confidence of each candidate, in [0, 1]. */
    double[] score(ClipScores s, float[][] b, List<BoundaryProposals.Candidate> candidates) {
        double[] out = new double[candidates.size()];
        if (candidates.isEmpty()) {
            return out;
        }
        float[] x = new float[candidates.size() * FEATURES];
        for (int c = 0; c < candidates.size(); c++) {
            BoundaryProposals.Candidate p = candidates.get(c);
            System.arraycopy(features(s, b, p.start(), p.end()), 0, x, c * FEATURES, FEATURES);
        }
        try (NDManager step = model.getNDManager().newSubManager()) {
            NDArray logits = model.getBlock().forward(new ParameterStore(step, false),
                    new NDList(step.create(x, new Shape(candidates.size(), FEATURES))), false).singletonOrThrow();
            float[] p = Activation.sigmoid(logits).toFloatArray();
            for (int c = 0; c < out.length; c++) {
                out[c] = p[c];
            }
        }
        return out;
    }

    /** One video's candidates as training data: their features and their best tIoU with the truth. */
    private record Examples(float[][] features, double[] iou) {}

    /**
     * Fits a PEM on training videos: each video's candidate proposals from {@code tem}, their BSP
     * features and tIoU targets; SGD with momentum, one video's sampled proposals per step.
     *
     * @param truth each video's instances, in the order of {@code videos}
     */
    public static ProposalEvaluation fit(BoundaryProposals tem, List<ClipScores> videos, List<List<Segment>> truth,
            double maxSeconds, int epochs, double lr, long seed) {
        List<Examples> data = new ArrayList<>();
        for (int i = 0; i < videos.size(); i++) {
            ClipScores s = videos.get(i);
            float[][] b = tem.boundaries(s);
            List<BoundaryProposals.Candidate> candidates = BoundaryProposals.candidates(s, b, maxSeconds);
            float[][] x = new float[candidates.size()][];
            double[] y = new double[candidates.size()];
            for (int c = 0; c < candidates.size(); c++) {
                BoundaryProposals.Candidate p = candidates.get(c);
                x[c] = features(s, b, p.start(), p.end());
                y[c] = bestIou(p.start(), p.end(), truth.get(i));
            }
            if (x.length > 0) {
                data.add(new Examples(x, y));
            }
        }
        ProposalEvaluation pem = create(seed);
        SequentialBlock block = (SequentialBlock) pem.model.getBlock();
        NDManager root = pem.model.getNDManager();
        MomentumSgd sgd = new MomentumSgd(root);
        Random random = new Random(seed);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            order.add(i);
        }
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(order, random);
            for (int i : order) {
                List<Integer> picked = balancedSample(data.get(i).iou(), random);
                if (picked.isEmpty()) {
                    continue;
                }
                float[] x = new float[picked.size() * FEATURES];
                float[] y = new float[picked.size()];
                for (int k = 0; k < picked.size(); k++) {
                    System.arraycopy(data.get(i).features()[picked.get(k)], 0, x, k * FEATURES, FEATURES);
                    y[k] = (float) data.get(i).iou()[picked.get(k)];
                }
                try (NDManager step = root.newSubManager()) {
                    NDArray input = step.create(x, new Shape(picked.size(), FEATURES));
                    NDArray target = step.create(y, new Shape(picked.size(), 1));
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray p = Activation.sigmoid(block.forward(new ParameterStore(step, false), new NDList(input), true)
                                .singletonOrThrow());
                        // Smooth L1 on differences inside [-1, 1] is half the squared error.
                        collector.backward(Scalars.mul(p.sub(target).square().mean(), 0.5));
                    }
                    sgd.step(block, lr, step);
                }
            }
        }
        return pem;
    }

    /**
     * MMAction2's PEM sampling of one video's proposals: all of tIoU above {@link #HIGH_IOU}, and at
     * random up to as many (at least one) of the middle band and twice as many of the low band.
     */
    static List<Integer> balancedSample(double[] iou, Random random) {
        List<Integer> high = new ArrayList<>();
        List<Integer> middle = new ArrayList<>();
        List<Integer> low = new ArrayList<>();
        for (int i = 0; i < iou.length; i++) {
            (iou[i] > HIGH_IOU ? high : iou[i] > LOW_IOU ? middle : low).add(i);
        }
        int keep = Math.max(1, high.size());
        Collections.shuffle(middle, random);
        Collections.shuffle(low, random);
        List<Integer> out = new ArrayList<>(high);
        out.addAll(middle.subList(0, Math.min(keep, middle.size())));
        out.addAll(low.subList(0, Math.min(2 * keep, low.size())));
        return out;
    }

    /** Saves the PEM's parameters (DJL's format) after a format tag. */
    public void save(Path file) throws IOException {
        dev.kinema.io.AtomicFiles.write(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            data.writeInt(MAGIC);
            data.writeInt(FEATURES);
            model.getBlock().saveParameters(data);
            data.flush();
        });
    }

    /**
     * Loads a PEM saved by {@link #save}.
     *
     * @throws IOException naming the file when it is not a saved PEM
     */
    public static ProposalEvaluation load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            if (data.readInt() != MAGIC) {
                throw new IOException(file + ": not a saved PEM (kinema localize --fit-pem writes one)");
            }
            int features = data.readInt();
            if (features != FEATURES) {
                throw new IOException(file + ": a PEM of " + features + " features per proposal; this version uses " + FEATURES);
            }
            ProposalEvaluation p = create(0);
            try {
                p.model.getBlock().loadParameters(p.model.getNDManager(), data);
            } catch (ai.djl.MalformedModelException e) {
                p.close();
                throw new IOException(file + ": not a saved PEM (" + e.getMessage() + ")", e);
            }
            return p;
        } catch (java.io.EOFException e) {
            throw new IOException(file + ": truncated, not a saved PEM", e);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}

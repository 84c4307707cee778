package dev.kinema.adamml;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.flow.FlowSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Trains an AdaMML network jointly, as the paper does: the three recognition nets and the policy
 * in one loss, the cross-entropy of the fused prediction plus {@code efficiency} × the compute
 * fraction, with straight-through Gumbel-softmax decisions whose temperature decays exponentially
 * from {@code 5} to {@code 0.5} over the epochs (the paper's schedule, shortened). With
 * {@code allModalities} the policy is left out and every modality is computed for every segment:
 * the late-fusion baseline, trained with the same recipe.
 *
 * <p>The videos' segments are decoded once (RGB, flow on the fly, sound) and kept on the heap: the
 * tiny datasets this is for fit; each step then draws its batch and its Gumbel noise from
 * generators seeded by {@code seed}, and the engine's generator (the initial parameters) is seeded
 * with it too, so a run is repeatable.
 */
public final class AdaMmlTraining {
    /** How to train. */
    public record Options(int epochs, int batch, float learningRate, float efficiency, boolean allModalities, long seed) {
        public Options {
            if (epochs < 1 || batch < 1 || !(learningRate > 0) || efficiency < 0) {
                throw new IllegalArgumentException("need epochs and batch >= 1, a learning rate > 0 and an efficiency weight >= 0");
            }
        }
    }

    /** Progress of a run: each epoch's mean loss, training accuracy and compute fraction. */
    public interface Listener {
        default void decoded(String split, int videos) {}

        default void epoch(int epoch, double loss, double accuracy, double compute) {}
    }

    /** Accuracy and compute of a network on a split, with the policy's choices or with every modality. */
    public record Evaluation(String split, int videos, double accuracy, double computeFraction, double[] usage,
            double gmacsPerVideo, double allModalitiesGmacsPerVideo) {}

    private AdaMmlTraining() {}

    /** The decoded segments of split {@code split} of the dataset at {@code data}. */
    public static List<SegmentInputs> decodeSplit(VideoDataset dataset, String split, AdaMmlConfig config, FlowSource flow)
            throws IOException {
        List<SegmentInputs> out = new ArrayList<>();
        for (VideoSample sample : dataset.samples(split)) {
            out.add(SegmentInputs.decode(sample, config, flow));
        }
        return out;
    }

    /** Trains on {@code train} and writes the run to {@code out} ({@link AdaMmlRun}). */
    public static AdaMmlRun fit(AdaMmlConfig config, List<SegmentInputs> train, Options options, Path out, Listener listener)
            throws IOException {
        AdaMmlNetwork network = new AdaMmlNetwork(config);
        Model model = Model.newInstance("adamml");
        model.setBlock(network);
        Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(options.learningRate())).build();
        try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam))) {
            trainer.getManager().getEngine().setRandomSeed((int) options.seed()); // the initial parameters too
            trainer.initialize(config.inputShapes(1));
            ParameterStore store = new ParameterStore(trainer.getManager(), false);
            SplittableRandom order = new SplittableRandom(options.seed());
            SplittableRandom gumbel = new SplittableRandom(options.seed() ^ 0x9E3779B97F4A7C15L);
            AdaMmlNetwork.Decisions decisions = options.allModalities() ? AdaMmlNetwork.Decisions.ALL : AdaMmlNetwork.Decisions.SAMPLED;
            for (int epoch = 0; epoch < options.epochs(); epoch++) {
                float temperature = temperature(epoch, options.epochs());
                int[] perm = permutation(train.size(), order);
                double loss = 0;
                double compute = 0;
                int right = 0;
                for (int start = 0; start < perm.length; start += options.batch()) {
                    List<SegmentInputs> batch = new ArrayList<>();
                    int[] labels = new int[Math.min(options.batch(), perm.length - start)];
                    for (int i = 0; i < labels.length; i++) {
                        SegmentInputs v = train.get(perm[start + i]);
                        batch.add(v);
                        labels[i] = v.sample().label();
                    }
                    try (NDManager step = trainer.getManager().newSubManager();
                            GradientCollector collector = trainer.newGradientCollector()) {
                        NDList inputs = SegmentInputs.batch(step, batch, config);
                        AdaMmlNetwork.Output o = network.forward(store, inputs, decisions, temperature,
                                gumbel, true);
                        NDArray l = AdaMmlNetwork.loss(o, step.create(labels), options.efficiency());
                        collector.backward(l);
                        loss += l.getFloat() * labels.length;
                        compute += o.compute().sum().getFloat();
                        right += correct(o.probabilities(), labels);
                    }
                    trainer.step();
                }
                listener.epoch(epoch + 1, loss / train.size(), (double) right / train.size(), compute / train.size());
            }
            AdaMmlRun run = new AdaMmlRun(config, model, network, options);
            run.save(out);
            return run;
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** The Gumbel-softmax temperature of {@code epoch}: 5 decaying exponentially to 0.5 at the last epoch. */
    static float temperature(int epoch, int epochs) {
        return epochs == 1 ? 5f : (float) (5 * Math.pow(0.1, (double) epoch / (epochs - 1)));
    }

    /** Evaluates {@code network} on {@code videos} with greedy decisions, or with every modality. */
    public static Evaluation evaluate(AdaMmlNetwork network, NDManager manager, String split, List<SegmentInputs> videos,
            AdaMmlNetwork.Decisions decisions) {
        AdaMmlConfig config = network.config();
        int right = 0;
        double compute = 0;
        double[] usage = new double[SegmentModality.values().length];
        ParameterStore store = new ParameterStore(manager, false);
        for (int start = 0; start < videos.size(); start += 16) {
            List<SegmentInputs> batch = videos.subList(start, Math.min(videos.size(), start + 16));
            int[] labels = batch.stream().mapToInt(v -> v.sample().label()).toArray();
            try (NDManager step = manager.newSubManager()) {
                AdaMmlNetwork.Output o = network.forward(store, SegmentInputs.batch(step, batch, config), decisions, 1, null, false);
                right += correct(o.probabilities(), labels);
                compute += o.compute().sum().getFloat();
                float[] used = o.decisions().sum(new int[] {0, 1}).toFloatArray();
                for (int m = 0; m < usage.length; m++) {
                    usage[m] += used[m];
                }
            }
        }
        for (int m = 0; m < usage.length; m++) {
            usage[m] /= (double) videos.size() * config.segments();
        }
        double all = network.allModalitiesMacs() / 1e9;
        double fraction = compute / videos.size();
        double policy = decisions == AdaMmlNetwork.Decisions.ALL ? 0 : network.policyMacs() * config.segments() / 1e9;
        return new Evaluation(split, videos.size(), (double) right / videos.size(), fraction, usage, fraction * all + policy, all);
    }

    private static int correct(NDArray probabilities, int[] labels) {
        long[] predicted = probabilities.argMax(1).toLongArray();
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == labels[i] ? 1 : 0;
        }
        return right;
    }

    private static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}

package dev.kinema.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.eval.Metrics;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FloatTensor;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains only a model's head (for {@code lrcn}: the LSTM and the classifier) on a
 * {@link FeatureCache}: no video is decoded and the CNN is never built, so neither its parameters
 * nor its activations nor its graph take memory. A data source beside {@link Trainer}, not a mode
 * of it: the head sees N×D×T×1×1 cached features where it would see the CNN's maps.
 *
 * <p>The loop is the plain one: shuffled batches (seeded), cross-entropy, the run's optimizer at a
 * warm-up cosine learning rate, validation top-1 after every epoch and the test split's top-1 at
 * the end, all per video (one feature sequence is the whole video). The run folder gets
 * {@code head.params} (DJL parameters of the head) and {@code features-run.json}.
 */
public final class FeatureTrainer {
    /** The file the trained head's parameters go to. */
    public static final String HEAD = "head.params";
    /** The run's record. */
    public static final String RECORD = "features-run.json";

    private FeatureTrainer() {}

    /** What to train: the model whose head is trained and the optimisation. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Settings(String model, String features, int epochs, int batch, String optimizer, double lr,
            double weightDecay, double warmupEpochs, long seed) {}

    /** One epoch: mean training loss and top-1, and validation top-1 (null without a val split). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Epoch(int epoch, double trainLoss, double trainTop1, Double valTop1, double seconds) {}

    /** The run: its settings, epochs, and the test split's labels and predictions (empty without one). */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Result(Settings settings, List<String> labels, List<Epoch> epochs, int[] testLabels,
            int[] testPredictions, Double testTop1) {}

    /** A split's features stacked: N×D×T×1×1, and its labels. */
    private record Split(float[] values, Shape shape, int[] labels) {
        int size() {
            return labels.length;
        }

        NDArray rows(NDManager manager, int[] order, int from, int to) {
            long per = shape.size() / shape.get(0);
            float[] out = new float[Math.toIntExact((to - from) * per)];
            for (int i = from; i < to; i++) {
                System.arraycopy(values, Math.toIntExact(order[i] * per), out, Math.toIntExact((i - from) * per),
                        Math.toIntExact(per));
            }
            long[] s = shape.getShape().clone();
            s[0] = to - from;
            return manager.create(out, new Shape(s));
        }
    }

    /**
     * Trains {@code settings.model()}'s head on the cache in {@code settings.features()} and writes
     * the run to {@code out}.
     *
     * @throws IllegalArgumentException when the model's head does not take the cached features
     */
    public static Result train(Settings settings, Path out, Consumer<Epoch> progress) throws IOException {
        Path cacheDir = Path.of(settings.features());
        FeatureCache.Index index = FeatureCache.read(cacheDir);
        if (!index.splits().containsKey("train")) {
            throw new IllegalArgumentException(cacheDir + ": the cache has no train split");
        }
        ModelConfig.Builder config = ModelConfig.builder().setNumClasses(index.labels().size()).optFrames(index.frames())
                .optSize(index.size());
        if (index.backbone() != null && ModelRegistry.info(settings.model()).takesBackbone()) {
            config.optBackbone(index.backbone());
        }
        VideoModel model = ModelRegistry.create(settings.model(), config.build());
        long expected = model.features().getOutputShapes(new Shape[] {new Shape(1).addAll(model.inputShape())})[0].get(1);
        if (expected != index.channels()) {
            throw new IllegalArgumentException(settings.model() + "'s head takes " + expected + " features per frame; the"
                    + " cache in " + cacheDir + " has " + index.channels() + " (from " + index.model() + ")");
        }
        Split train = load(cacheDir, index, "train");
        Split val = index.splits().containsKey("val") ? load(cacheDir, index, "val") : null;
        Split test = index.splits().containsKey("test") ? load(cacheDir, index, "test") : null;
        Block head = model.head();
        List<Epoch> epochs = new ArrayList<>();
        Files.createDirectories(out);
        int stepsPerEpoch = (train.size() + settings.batch() - 1) / settings.batch();
        WarmupCosine schedule = WarmupCosine.forEpochs((float) settings.lr(), settings.warmupEpochs(), settings.epochs(),
                stepsPerEpoch);
        int[] testPredictions = new int[0];
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.create(settings.optimizer(), manager,
                        (float) settings.weightDecay())) {
            Engine.getInstance().setRandomSeed(Math.toIntExact(settings.seed() & 0x7fffffff));
            head.initialize(manager, DataType.FLOAT32, new Shape(settings.batch()).addAll(train.shape().slice(1)));
            ParameterStore store = new ParameterStore(manager, false);
            Random rng = new Random(settings.seed());
            int step = 0;
            for (int e = 1; e <= settings.epochs(); e++) {
                long t0 = System.nanoTime();
                int[] order = shuffled(train.size(), rng);
                double lossSum = 0;
                int correct = 0;
                for (int from = 0; from < train.size(); from += settings.batch()) {
                    int to = Math.min(train.size(), from + settings.batch());
                    try (NDManager scratch = manager.newSubManager()) {
                        NDArray x = train.rows(scratch, order, from, to);
                        int[] y = new int[to - from];
                        for (int i = from; i < to; i++) {
                            y[i - from] = train.labels()[order[i]];
                        }
                        NDArray labels = scratch.create(y).toType(DataType.FLOAT32, false);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray logits = head.forward(store, new NDList(x), true).singletonOrThrow();
                            NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
                            collector.backward(loss);
                            lossSum += loss.getFloat() * (to - from);
                            correct += countCorrect(logits, y);
                        }
                        optimizer.step(head.getParameters(), schedule.getNewValue(step++), scratch);
                    }
                }
                Double valTop1 = val == null ? null : top1(val.labels(), predict(head, store, manager, val));
                Epoch epoch = new Epoch(e, lossSum / train.size(), correct / (double) train.size(), valTop1,
                        (System.nanoTime() - t0) / 1e9);
                epochs.add(epoch);
                progress.accept(epoch);
            }
            if (test != null) {
                testPredictions = predict(head, store, manager, test);
            }
            AtomicFiles.write(out.resolve(HEAD), o -> head.saveParameters(new DataOutputStream(o)));
        }
        Result result = new Result(settings, index.labels(), epochs, test == null ? new int[0] : test.labels(),
                testPredictions, test == null ? null : top1(test.labels(), testPredictions));
        AtomicFiles.write(out.resolve(RECORD), o -> RunDir.JSON.writerWithDefaultPrettyPrinter().writeValue(o, result));
        return result;
    }

    private static Split load(Path dir, FeatureCache.Index index, String split) throws IOException {
        List<FeatureCache.Entry> entries = index.splits().get(split);
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(dir + ": the " + split + " split of the cache is empty");
        }
        long d = index.channels();
        long t = index.frames();
        float[] values = new float[Math.toIntExact(entries.size() * d * t)];
        int[] labels = new int[entries.size()];
        for (int i = 0; i < entries.size(); i++) {
            FloatTensor f = FeatureCache.read(dir, entries.get(i));
            if (f.shape().length != 2 || f.shape()[0] != d || f.shape()[1] != t) {
                throw new IOException(dir.resolve(entries.get(i).file()) + ": expected " + d + "x" + t + " features, got "
                        + f.dims());
            }
            System.arraycopy(f.data(), 0, values, Math.toIntExact(i * d * t), f.data().length);
            labels[i] = entries.get(i).label();
        }
        return new Split(values, new Shape(entries.size(), d, t, 1, 1), labels);
    }

    private static int[] predict(Block head, ParameterStore store, NDManager manager, Split split) {
        int[] order = new int[split.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int[] out = new int[split.size()];
        int chunk = 32;
        for (int from = 0; from < split.size(); from += chunk) {
            int to = Math.min(split.size(), from + chunk);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray logits = head.forward(store, new NDList(split.rows(scratch, order, from, to)), false).singletonOrThrow();
                float[] v = logits.toFloatArray();
                int k = Math.toIntExact(logits.getShape().get(1));
                for (int i = from; i < to; i++) {
                    float[] row = new float[k];
                    System.arraycopy(v, (i - from) * k, row, 0, k);
                    out[i] = Metrics.argmax(row);
                }
            }
        }
        return out;
    }

    private static int countCorrect(NDArray logits, int[] labels) {
        float[] v = logits.toFloatArray();
        int k = v.length / labels.length;
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            float[] row = new float[k];
            System.arraycopy(v, i * k, row, 0, k);
            correct += Metrics.argmax(row) == labels[i] ? 1 : 0;
        }
        return correct;
    }

    private static double top1(int[] labels, int[] predictions) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += labels[i] == predictions[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : correct / (double) labels.length;
    }

    private static int[] shuffled(int n, Random rng) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}

package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.eval.Evaluator;
import dev.kinema.eval.Metrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Single-label classification: cross-entropy of the logits against the clip's class, with optional
 * label smoothing (PyTorch's {@code CrossEntropyLoss(label_smoothing=ε)}: the target puts
 * {@code 1 − ε + ε/K} on the class and {@code ε/K} on each other class) and optional
 * {@link MixUp mixup/cutmix} (timm's soft targets). The epoch's metrics are the mean loss and
 * {@code top1}, the share of training clips whose top class is their own (for a mixed batch, the
 * clip's own class, not its partner's). Validation is {@link Evaluator}'s: the softmax of several
 * clips per video averaged ({@link ClassificationValidation}); the best checkpoint follows the
 * video-level top-1, as MMAction2's {@code save_best='auto'} follows its first metric, top-1.
 *
 * <p>Without smoothing or mixing the loss is DJL's sparse softmax cross-entropy on the int labels,
 * as Kinema computed before tasks existed, so such runs are unchanged bit for bit.
 */
public final class ClassificationTask implements TrainingTask {
    private static final Loss SPARSE = Loss.softmaxCrossEntropyLoss();
    private static final Loss SOFT = Loss.softmaxCrossEntropyLoss("SoftTargetCrossEntropy", 1, -1, false, true);

    /** Single-label classification as a run names it: {@code classification}. */
    public static final String NAME = "classification";
    public static final TaskDefinition DEFINITION = new TaskDefinition(NAME,
            "single-label classification: cross-entropy, top-1 and top-5",
            List.of(Metric.accuracy("top1", "top-1")),
            List.of(Metric.accuracy(ClassificationValidation.CLIP_TOP1, "centre clip top-1"),
                    Metric.accuracy(ClassificationValidation.VIDEO_TOP1, "video top-1"),
                    Metric.accuracy(ClassificationValidation.VIDEO_TOP5, "video top-5"),
                    Metric.accuracy(ClassificationValidation.MEAN_CLASS_ACCURACY, "mean class accuracy")),
            ClassificationValidation.VIDEO_TOP1,
            c -> new ClassificationTask(c.labels(), c.labelSmoothing(), c.mixUp()));

    private final List<String> classNames;
    private final int classes;
    private final double labelSmoothing;
    private final MixUp mixUp;

    /**
     * @param classNames the classes the head predicts, in label order
     * @param labelSmoothing ε in [0, 1)
     * @param mixUp batch mixing, or {@link MixUp#NONE}
     */
    public ClassificationTask(List<String> classNames, double labelSmoothing, MixUp mixUp) {
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("classification needs at least one class, got none");
        }
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
            throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + labelSmoothing);
        }
        this.classNames = List.copyOf(classNames);
        this.classes = classNames.size();
        this.labelSmoothing = labelSmoothing;
        this.mixUp = mixUp;
    }

    /** K classes named by their index ({@code "0"}, {@code "1"}, ...). */
    public ClassificationTask(int classes, double labelSmoothing, MixUp mixUp) {
        this(IntStream.range(0, classes).mapToObj(Integer::toString).toList(), labelSmoothing, mixUp);
    }

    /** Plain cross-entropy over {@code classes} classes. */
    public static ClassificationTask of(int classes) {
        return new ClassificationTask(classes, 0, MixUp.NONE);
    }

    @Override
    public int outputs() {
        return classes;
    }

    @Override
    public Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
        if (labelSmoothing == 0 && !mixUp.enabled()) {
            return new Step(new NDList(batch.data(manager)), new NDList(batch.labels(manager)));
        }
        MixUp.Mixed mixed = mixUp.apply(batch.values(), batch.shape(), rng);
        float[] targets = softTargets(batch.labels(), classes, labelSmoothing, mixed.lambda());
        return new Step(new NDList(manager.create(mixed.values(), batch.shape())),
                new NDList(manager.create(targets, new Shape(batch.size(), classes))));
    }

    /**
     * timm's {@code mixup_target}: {@code λ·smooth(onehot(y)) + (1 − λ)·smooth(onehot(reversed y))},
     * one row of {@code classes} per label.
     */
    static float[] softTargets(int[] labels, int classes, double smoothing, float lambda) {
        float off = (float) (smoothing / classes);
        float on = (float) (1 - smoothing + smoothing / classes);
        int n = labels.length;
        float[] out = new float[n * classes];
        for (int i = 0; i < n; i++) {
            int own = labels[i];
            int partner = labels[n - 1 - i];
            if (own < 0 || own >= classes) {
                throw new IllegalArgumentException("label " + own + " outside the " + classes + " classes");
            }
            for (int k = 0; k < classes; k++) {
                float a = k == own ? on : off;
                float b = k == partner ? on : off;
                out[i * classes + k] = lambda == 1f ? a : a * lambda + b * (1f - lambda);
            }
        }
        return out;
    }

    @Override
    public NDArray loss(NDList outputs, NDList targets) {
        boolean sparse = targets.singletonOrThrow().getShape().dimension() == 1;
        return (sparse ? SPARSE : SOFT).evaluate(targets, outputs);
    }

    @Override
    public EpochMetricsAccumulator newEpoch() {
        return new Top1();
    }

    @Override
    public ClassificationValidation validate(ValidationPass pass) {
        Evaluator evaluator = Evaluator.builder().setModel(pass.model()).setInput(pass.input()).setClasses(classNames)
                .optClips(pass.clips()).optWorkers(pass.workers()).optFlowSource(pass.flow())
                .optChunk(Math.max(pass.chunk(), 1)).build();
        return new ClassificationValidation(evaluator.evaluate(pass.videos(), pass.progress()));
    }

    @Override
    public String toString() {
        return "ClassificationTask[classes=" + classes + ", labelSmoothing=" + labelSmoothing + ", " + mixUp + "]";
    }

    /** Mean loss and top-1 of an epoch's training clips. */
    private static final class Top1 extends MeanLossAccumulator {
        private int correct;

        @Override
        void addMetrics(ClipBatch batch, float[] logits) {
            int n = batch.size();
            int classes = logits.length / n;
            for (int i = 0; i < n; i++) {
                float[] row = new float[classes];
                System.arraycopy(logits, i * classes, row, 0, classes);
                if (Metrics.argmax(row) == batch.labels()[i]) {
                    correct++;
                }
            }
        }

        @Override
        public Map<String, Double> summary() {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("top1", clips() == 0 ? 0 : (double) correct / clips());
            return out;
        }
    }
}

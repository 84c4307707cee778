package dev.kinema.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.data.loader.ClipBatch;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ClassificationTaskTest {
    private static final float[] LOGITS = {2.0f, -1.0f, 0.5f, 0.1f, 0.3f, 1.7f, -0.4f, 0.9f, 1.1f};
    private static final int[] LABELS = {0, 2, 1};

    /** A batch of N clips of 1×1×2×2 values, clip i's values all i + 1. */
    private static ClipBatch batch(int... labels) {
        int n = labels.length;
        float[] values = new float[n * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = i / 4 + 1;
        }
        return new ClipBatch(0, values, new Shape(n, 1, 1, 2, 2), labels, List.of(), new int[n]);
    }

    /** PyTorch's CrossEntropyLoss(label_smoothing=ε): (1 − ε)·NLL + ε·mean over classes of −log p, in double. */
    private static double closedForm(float[] logits, int[] labels, int classes, double eps) {
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, logits[i * classes + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(logits[i * classes + k] - max);
            }
            double logZ = max + Math.log(sum);
            double uniform = 0;
            for (int k = 0; k < classes; k++) {
                uniform += logZ - logits[i * classes + k];
            }
            total += (1 - eps) * (logZ - logits[i * classes + labels[i]]) + eps * uniform / classes;
        }
        return total / labels.length;
    }

    private static float loss(ClassificationTask task, int[] labels) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingTask.Step step = task.trainingStep(batch(labels), manager, new SplittableRandom(1));
            NDArray logits = manager.create(LOGITS, new Shape(labels.length, 3));
            return task.loss(new NDList(logits), step.targets()).getFloat();
        }
    }

    @Test
    void lossIsCrossEntropyWithPyTorchsLabelSmoothing() {
        assertEquals(closedForm(LOGITS, LABELS, 3, 0), loss(ClassificationTask.of(3), LABELS), 1e-6);
        for (double eps : new double[] {0.1, 0.3}) {
            float smoothed = loss(new ClassificationTask(3, eps, MixUp.NONE), LABELS);
            assertEquals(closedForm(LOGITS, LABELS, 3, eps), smoothed, 1e-6, "ε = " + eps);
        }
    }

    /** tools/golden/label_smoothing.py: torch 1.13's CrossEntropyLoss(label_smoothing) and timm's mixed targets. */
    @Test
    void lossMatchesTorch() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/tasks/cross_entropy.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        int n = golden.get("n").asInt();
        int k = golden.get("k").asInt();
        float[] logits = new float[n * k];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = 3 * (float) Math.sin(i * 0.37f); // float32 as in torch
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (3 * i + 1) % k;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList out = new NDList(manager.create(logits, new Shape(n, k)));
            for (JsonNode c : golden.get("smoothing")) {
                double eps = c.get("eps").asDouble();
                ClassificationTask task = new ClassificationTask(k, eps, MixUp.NONE);
                TrainingTask.Step step = task.trainingStep(batch(labels), manager, new SplittableRandom(1));
                assertEquals(c.get("loss").asDouble(), task.loss(out, step.targets()).getFloat(), 2e-6, "ε = " + eps);
            }
            for (JsonNode c : golden.get("mixed")) {
                double eps = c.get("eps").asDouble();
                float lambda = (float) c.get("lambda").asDouble();
                NDArray targets = manager.create(ClassificationTask.softTargets(labels, k, eps, lambda), new Shape(n, k));
                assertEquals(c.get("loss").asDouble(), ClassificationTask.of(k).loss(out, new NDList(targets)).getFloat(),
                        2e-6, "ε = " + eps + ", λ = " + lambda);
            }
        }
    }

    @Test
    void withoutSmoothingOrMixingTheInputsAndLabelsPassUnchanged() {
        ClipBatch b = batch(LABELS);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingTask.Step step = ClassificationTask.of(3).trainingStep(b, manager, new SplittableRandom(1));
            assertArrayEquals(b.values(), step.inputs().singletonOrThrow().toFloatArray());
            assertArrayEquals(LABELS, step.targets().singletonOrThrow().toIntArray());
        }
    }

    @Test
    void softTargetsAreTimmsMixupTargets() {
        // Two clips of classes 0 and 2 of 4, ε = 0.2: on = 0.85, off = 0.05; λ = 0.75.
        float[] t = ClassificationTask.softTargets(new int[] {0, 2}, 4, 0.2, 0.75f);
        assertArrayEquals(new float[] {0.65f, 0.05f, 0.25f, 0.05f, 0.25f, 0.05f, 0.65f, 0.05f}, t, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> ClassificationTask.softTargets(new int[] {4}, 4, 0, 1f));
    }

    @Test
    void mixedBatchesGetMatchingInputsAndTargets() {
        ClassificationTask task = new ClassificationTask(3, 0, new MixUp(0.8, 0, 0.5));
        ClipBatch b = batch(LABELS);
        try (NDManager manager = NDManager.newBaseManager()) {
            TrainingTask.Step step = task.trainingStep(b, manager, new SplittableRandom(5));
            float[] x = step.inputs().singletonOrThrow().toFloatArray();
            float[] y = step.targets().singletonOrThrow().toFloatArray();
            // Clip 0 (values 1) is mixed with clip 2 (values 3): x = λ + 3(1 − λ), target λ on 0, 1 − λ on 1.
            float lambda = y[0];
            assertEquals(1 - lambda, y[1], 1e-6);
            assertEquals(lambda + 3 * (1 - lambda), x[0], 1e-5);
            // The middle clip is mixed with itself.
            assertEquals(2f, x[4], 1e-5);
            assertEquals(1f, y[3 + 2], 1e-6);
            assertEquals(new Shape(3, 3), step.targets().singletonOrThrow().getShape());
        }
    }

    @Test
    void theEpochSummaryIsLossAndTop1OverClips() {
        TrainingTask.EpochMetricsAccumulator epoch = ClassificationTask.of(3).newEpoch();
        assertEquals(0, epoch.clips());
        assertEquals(Double.NaN, epoch.meanLoss());
        epoch.add(batch(LABELS), LOGITS, 0.9f); // argmax rows: 0, 2, 2 -> two right
        epoch.add(batch(1), new float[] {0f, 1f, 0f}, 0.1f);
        assertEquals(4, epoch.clips());
        assertEquals((0.9 * 3 + 0.1) / 4, epoch.meanLoss(), 1e-7);
        assertEquals(Map.of("top1", 0.75), epoch.summary());
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassificationTask(3, 1.0, MixUp.NONE));
        assertThrows(IllegalArgumentException.class, () -> new ClassificationTask(0, 0, MixUp.NONE));
        assertThrows(IllegalArgumentException.class, () -> new MixUp(-1, 0, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new MixUp(0, 1, 1.5));
    }
}

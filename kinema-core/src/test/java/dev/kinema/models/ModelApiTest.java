package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.kinema.models.heads.Classifier;
import dev.kinema.models.heads.ConvClassifier;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.Staged;
import dev.kinema.weights.ParameterNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * timm's uniform model API on every registered model (every backbone), on its smallest clip:
 * {@code forwardHead(..., preLogits)} gives the N×D features the classifier takes,
 * {@code forwardIntermediates} the stages in order ending with what the head takes, and
 * {@code resetClassifier} a new number of classes with every other parameter kept.
 */
class ModelApiTest {
    private static final int CLASSES = 3;
    private static final int BATCH = SmallestClips.BATCH;
    /** Models whose inference output is log-mean-softmax over frames, not the classifier's logits. */
    private static final Set<String> FRAME_AVERAGED = Set.of("single-frame", "spatial-stream");

    static Stream<SmallestClips.Variant> everyModel() {
        return SmallestClips.variants().stream();
    }

    /** One model built and initialised once for the three checks (the reset last): they are slow. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("everyModel")
    void uniformApi(SmallestClips.Variant v) {
        VideoModel model = SmallestClips.smallest(v.name(), v.backbone(), CLASSES);
        try (NDManager manager = NDManager.newBaseManager()) {
            initialize(model, manager, 7);
            preLogitsAreWhatTheClassifierTakes(v, model, manager);
            intermediatesAreTheStagesInOrderEndingWithTheHeadsInput(v, model, manager);
            resetClassifierKeepsEverythingButTheClassifier(v, model, manager);
        }
    }

    private static void preLogitsAreWhatTheClassifierTakes(SmallestClips.Variant v, VideoModel model, NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        NDList features = model.forwardFeatures(store, new NDList(clips(model, manager)), false);
        // single-frame averages logits (not probabilities) in training mode, its head has no dropout
        boolean training = FRAME_AVERAGED.contains(v.name());
        NDArray logits = model.forwardHead(store, features, training).singletonOrThrow();
        NDArray pre = model.forwardHead(store, features, training, true).singletonOrThrow();
        assertEquals(2, pre.getShape().dimension(), "pre-logits are N x D, got " + pre.getShape());
        assertEquals(BATCH, pre.getShape().get(0));
        List<Classifier> classifiers = classifiers(model);
        if (classifiers.size() == 1) {
            // The classifier applied to the pre-logit features gives the logits.
            NDArray w = classifiers.get(0).getParameters().get("weight").getArray();
            NDArray b = classifiers.get(0).getParameters().get("bias").getArray();
            NDArray w2 = w.reshape(w.getShape().get(0), w.getShape().get(1));
            assertEquals(w2.getShape().get(1), pre.getShape().get(1), "D is the classifier's input width");
            NDArray expected = pre.matMul(w2.transpose()).add(b);
            assertTrue(expected.allClose(logits, 1e-4, 1e-4, false), v + ": classifier(preLogits) != logits");
        } else {
            // two-stream: the streams' classifiers are in its features; its pre-logits are their scores
            assertEquals(2, classifiers.size());
            assertEquals(2L * CLASSES, pre.getShape().get(1));
            assertTrue(pre.allClose(features.singletonOrThrow()));
        }
    }

    private static void intermediatesAreTheStagesInOrderEndingWithTheHeadsInput(SmallestClips.Variant v, VideoModel model,
            NDManager manager) {
        ParameterStore store = new ParameterStore(manager, false);
        NDArray clips = clips(model, manager);
        Map<String, NDList> stages = model.forwardIntermediates(store, new NDList(clips), false);
        NDList features = model.forwardFeatures(store, new NDList(clips), false);
        List<String> names = new ArrayList<>(stages.keySet());
        assertTrue(!names.isEmpty());
        NDList last = stages.get(names.get(names.size() - 1));
        assertEquals(features.size(), last.size());
        for (int i = 0; i < last.size(); i++) {
            assertTrue(last.get(i).allClose(features.get(i), 1e-5, 1e-5, false), v + ": last stage != features");
        }
        NDArray logits = model.forward(store, new NDList(clips), false).singletonOrThrow();
        assertTrue(model.forwardHead(store, last, false).singletonOrThrow().allClose(logits, 1e-5, 1e-5, false));
        if (!(model.features() instanceof Staged)) {
            assertEquals(List.of("features"), names);
            return;
        }
        assertTrue(names.size() >= 3, v + ": stages " + names);
        // Named by module path, in the order of the layer table's rows.
        List<String> rows = model.layerTable().rows().stream().map(LayerRow::name).toList();
        int previous = -1;
        int matched = 0;
        for (String name : names) {
            int row = firstRow(rows, name);
            if (row >= 0) {
                assertTrue(row > previous, v + ": " + name + " comes before the stage listed ahead of it, " + names);
                previous = row;
                matched++;
            }
            for (NDArray a : stages.get(name)) {
                long n = a.getShape().get(0);
                assertTrue(n == BATCH || n == (long) BATCH * model.config().frames(), name + " " + a.getShape());
            }
        }
        assertTrue(matched >= 2, v + ": stages " + names + " name no layers of " + rows);
    }

    private static void resetClassifierKeepsEverythingButTheClassifier(SmallestClips.Variant v, VideoModel model,
            NDManager manager) {
        assertThrows(IllegalArgumentException.class, () -> model.resetClassifier(0));
        for (Classifier c : classifiers(model)) {
            assertEquals(CLASSES, c.numClasses());
            assertTrue(c instanceof LinearClassifier || c instanceof ConvClassifier, c.getClass().getName());
        }
        Map<String, Parameter> before = ParameterNames.of(model);
        String first = before.keySet().iterator().next();
        float[] firstValues = before.get(first).getArray().toFloatArray();
        int kept = before.size();

        model.resetClassifier(5);
        assertEquals(5, model.config().numClasses());
        classifiers(model).forEach(c -> assertEquals(5, c.numClasses()));
        initialize(model, manager, 8);

        Map<String, Parameter> after = ParameterNames.of(model);
        assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()), "parameter names kept");
        assertEquals(kept, after.size());
        assertArrayEquals(firstValues, after.get(first).getArray().toFloatArray(), v + ": " + first + " changed");
        ParameterStore store = new ParameterStore(manager, false);
        NDArray out = model.forward(store, new NDList(clips(model, manager)), false).singletonOrThrow();
        assertEquals(new Shape(BATCH, 5), out.getShape());
        assertEquals(model.parameterCount(), TinyModels.trainableParameters(model), "layer table and DJL agree after the reset");
    }

    private static int firstRow(List<String> rows, String stage) {
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).equals(stage) || rows.get(i).startsWith(stage + ".")) {
                return i;
            }
        }
        return -1;
    }

    private static void initialize(VideoModel model, NDManager manager, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        model.initialize(manager, DataType.FLOAT32, new Shape(BATCH).addAll(model.inputShape()));
    }

    private static NDArray clips(VideoModel model, NDManager manager) {
        Engine.getInstance().setRandomSeed(11);
        return manager.randomUniform(0f, 1f, new Shape(BATCH).addAll(model.inputShape()));
    }

    private static List<Classifier> classifiers(Block block) {
        List<Classifier> found = new ArrayList<>();
        if (block instanceof Classifier c) {
            found.add(c);
        }
        block.getChildren().values().forEach(child -> found.addAll(classifiers(child)));
        return found;
    }
}

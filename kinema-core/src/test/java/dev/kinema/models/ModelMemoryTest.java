package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every registered model, trained and run for a few steps the way the Trainer and the Predictor do
 * (one sub-manager a step), leaves no array on the model's manager: what a step computes is freed
 * with the step. A model that starts an operation from a parameter's array without
 * {@code nn.ParameterValues} fails here, with the shapes it left behind (before this test,
 * {@code vivit-fe-small} kept 23 MB a step: a 20-epoch run grew to 18 GB).
 */
class ModelMemoryTest {
    private static final int STEPS = 3;

    static Stream<SmallestClips.Variant> everyModel() {
        return SmallestClips.variants().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyModel")
    void aStepLeavesNothingOnTheModelsManager(SmallestClips.Variant v) {
        VideoModel model = SmallestClips.smallest(v.name(), v.backbone(), 3);
        Shape shape = new Shape(SmallestClips.BATCH).addAll(model.inputShape());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            model.initialize(manager, DataType.FLOAT32, shape);
            NDArray clips = manager.randomUniform(0f, 1f, shape);
            Loss loss = Loss.softmaxCrossEntropyLoss();
            int afterFirst = 0;
            for (int i = 0; i < 2 * STEPS; i++) {
                boolean training = i < STEPS;
                try (NDManager step = manager.newSubManager()) {
                    clips.tempAttach(step);
                    ParameterStore parameters = new ParameterStore(step, false);
                    if (training) {
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDArray logits = model.forward(parameters, new NDList(clips), true).singletonOrThrow();
                            NDArray labels = step.zeros(new Shape(SmallestClips.BATCH));
                            collector.backward(loss.evaluate(new NDList(labels), new NDList(logits)));
                        }
                    } else {
                        model.forward(parameters, new NDList(clips), false).singletonOrThrow().toFloatArray();
                    }
                }
                if (i == 0) {
                    // The first step may create what lives on (gradient arrays, folded weights).
                    afterFirst = manager.getManagedArrays().size();
                }
            }
            int left = manager.getManagedArrays().size() - afterFirst;
            assertEquals(0, left, () -> v + " left arrays on the model's manager: " + shapes(manager));
        }
    }

    private static String shapes(NDManager manager) {
        Map<String, Long> counts = new TreeMap<>(manager.getManagedArrays().stream()
                .filter(a -> !a.hasGradient())
                .collect(Collectors.groupingBy(a -> a.getShape().toString(), Collectors.counting())));
        return counts.toString();
    }
}

package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole registry, timm-style: every model, with every backbone it takes, on the smallest clip it
 * accepts: forward and backward, output shape, finite gradients that reach the first layer, the
 * layer table's parameter count against DJL's, features + head = forward, probabilities, and a
 * save / load round trip.
 */
class ModelRegistryTest {
    private static final int CLASSES = 3;
    private static final int BATCH = 2;

    static Stream<Arguments> everyModel() {
        List<Arguments> cases = new ArrayList<>();
        for (ModelInfo info : ModelRegistry.models()) {
            if (info.takesBackbone()) {
                info.backbones().forEach(b -> cases.add(Arguments.of(info.name(), b)));
            } else {
                cases.add(Arguments.of(info.name(), null));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyModel")
    void tinyClipGoesForwardAndBackward(String name, String backbone) throws Exception {
        VideoModel model = TinyModels.smallest(name, backbone, CLASSES);
        Shape input = new Shape(BATCH).addAll(model.inputShape());
        Shape logitsShape = new Shape(BATCH, CLASSES);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            model.initialize(manager, DataType.FLOAT32, input);
            assertEquals(model.parameterCount(), TinyModels.trainableParameters(model),
                    "the layer table's parameter total must match DJL's parameters");
            assertEquals(logitsShape, model.getOutputShapes(new Shape[] {input})[0]);

            ParameterStore store = new ParameterStore(manager, false);
            NDArray clips = manager.randomNormal(input);
            NDArray labels = manager.create(new float[] {0, 2});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(store, new NDList(clips), true).singletonOrThrow();
                assertEquals(logitsShape, logits.getShape());
                NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
                assertTrue(Float.isFinite(loss.getFloat()), "loss " + loss);
                collector.backward(loss);
            }
            boolean first = true;
            for (Pair<String, Parameter> p : model.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                NDArray grad = p.getValue().getArray().getGradient();
                assertFalse(grad.isNaN().any().getBoolean() || grad.isInfinite().any().getBoolean(),
                        name + ": gradient of " + p.getKey() + " is not finite");
                if (first) {
                    assertTrue(grad.abs().sum().getFloat() > 0, name + ": no gradient reaches the first layer " + p.getKey());
                    first = false;
                }
            }

            NDArray whole = model.forward(store, new NDList(clips), false).singletonOrThrow();
            NDArray split = model.forwardHead(store, model.forwardFeatures(store, new NDList(clips), false), false)
                    .singletonOrThrow();
            assertTrue(whole.allClose(split), name + ": forwardHead(forwardFeatures(x)) differs from forward(x)");
            NDArray probabilities = model.predictProbabilities(store, clips);
            assertEquals(logitsShape, probabilities.getShape());
            assertTrue(probabilities.sum(new int[] {1}).allClose(manager.ones(new Shape(BATCH))));

            // Checkpoints: parameters (and BatchNorm statistics) saved and loaded into a new instance.
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            model.saveParameters(new DataOutputStream(saved));
            VideoModel copy = ModelRegistry.create(name, model.config());
            copy.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            assertTrue(whole.allClose(copy.forward(store, new NDList(clips), false).singletonOrThrow()),
                    name + ": a reloaded model predicts differently");
        }
    }

    @Test
    void listsEveryModelWithItsDefaults() {
        // The lecture's models come first, in its order; later families follow as they are registered.
        List<String> lectureModels = List.of("single-frame", "late-fusion-fc", "late-fusion-pool", "early-fusion",
                "slow-fusion", "tiny-3d", "c3d", "toy-late-fusion", "toy-early-fusion", "toy-3d");
        assertEquals(lectureModels, ModelRegistry.listModels().subList(0, lectureModels.size()));
        assertTrue(ModelRegistry.listModels().containsAll(List.of("spatial-stream", "temporal-stream", "two-stream",
                "two-stream-linear", "i3d", "i3d-flow", "r3d_18", "mc3_18", "r2plus1d_18", "r2plus1d_34", "tsm_r18", "tsm_r50",
                "slowfast_r50", "x3d_xs", "x3d_s", "x3d_m")), ModelRegistry.listModels().toString());
        assertEquals(new Shape(3, 16, 112, 112), ModelRegistry.info("c3d").defaultInputShape());
        for (String toy : List.of("toy-late-fusion", "toy-early-fusion", "toy-3d")) {
            assertEquals(new Shape(3, 20, 64, 64), ModelRegistry.info(toy).defaultInputShape());
        }
        for (ModelInfo info : ModelRegistry.models()) {
            assertFalse(info.description().isBlank(), info.name());
            VideoModel m = ModelRegistry.create(info.name(), 5);
            assertEquals(info.defaultInputShape(), m.inputShape(), info.name());
            assertEquals(5, m.layerTable().outputShape()[0], info.name());
            assertEquals(1, m.layerTable().outputShape().length, info.name());
            assertEquals(info.name(), m.name());
        }
    }

    @Test
    void unsetFieldsTakeTheModelsDefaults() {
        VideoModel m = ModelRegistry.create("late-fusion-pool", ModelConfig.builder().setNumClasses(7).optFrames(4).build());
        assertEquals(new Shape(3, 4, 112, 112), m.inputShape());
        assertEquals("small", m.config().backbone().orElseThrow());
        assertEquals(7, m.config().numClasses());
    }

    @Test
    void badRequestsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.create("c4d", 10));
        assertEquals("unknown model 'c4d'; known models: " + String.join(", ", ModelRegistry.listModels()), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("c3d", ModelConfig.builder().setNumClasses(10).optBackbone("resnet18").build()));
        assertTrue(e.getMessage().startsWith("c3d has a fixed architecture and takes no backbone"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("single-frame", ModelConfig.builder().setNumClasses(10).optBackbone("vgg").build()));
        assertEquals("unknown backbone 'vgg' for single-frame; known backbones: small, resnet18", e.getMessage());

        // C3D's five temporal poolings need 16 frames: with 8, pool5 has nothing left to pool.
        e = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("c3d", ModelConfig.builder().setNumClasses(10).optFrames(8).build()));
        assertTrue(e.getMessage().startsWith("c3d cannot take a 3x8x112x112 clip: layer pool5 [MaxPool3D(2x2x2)] on "
                + "512 x 1 x 7 x 7: T is 1, too small for a window of 2"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> ModelConfig.builder().optFrames(8).build());
        assertEquals("numClasses must be set and >= 1, got 0", e.getMessage());
    }
}

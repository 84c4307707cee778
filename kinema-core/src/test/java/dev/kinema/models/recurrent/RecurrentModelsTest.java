package dev.kinema.models.recurrent;

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
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.TemporalReadout;
import dev.kinema.weights.ParameterNames;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The recurrent family's own promises: many-to-many scores, readouts, order sensitivity, and non-local insertion. */
class RecurrentModelsTest {
    private static final int CLASSES = 3;

    private static VideoModel model(String name, TemporalReadout.Mode readout) {
        return ModelRegistry.create(name, ModelConfig.builder().setNumClasses(CLASSES).optFrames(5).optSize(32)
                .optReadout(readout).build());
    }

    private static NDArray clips(NDManager manager, VideoModel m) {
        Engine.getInstance().setRandomSeed(5);
        return manager.randomUniform(0f, 1f, new Shape(2).addAll(m.inputShape()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lrcn", "conv-gru", "conv-lstm"})
    void perStepScoresEndInTheModelsOutputAndTheMeanReadoutAveragesThem(String name) {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel last = model(name, TemporalReadout.Mode.LAST);
            Engine.getInstance().setRandomSeed(1);
            last.initialize(manager, DataType.FLOAT32, new Shape(2).addAll(last.inputShape()));
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = clips(manager, last);
            NDArray perStep = RecurrentModels.frameScores(last, store, x);
            assertEquals(new Shape(2, 5, CLASSES), perStep.getShape());
            NDArray logits = last.forward(store, new NDList(x), false).singletonOrThrow();
            assertTrue(perStep.get(":, 4, :").allClose(logits, 1e-5, 1e-5, false), name + ": last step != output");
            assertFalse(perStep.get(":, 0, :").allClose(logits, 1e-3, 1e-3, false), name + ": the first step already knew");

            // The same weights with the mean readout: the output is the per-step scores averaged.
            VideoModel mean = model(name, TemporalReadout.Mode.MEAN);
            mean.initialize(manager, DataType.FLOAT32, new Shape(2).addAll(mean.inputShape()));
            copy(last, mean);
            NDArray averaged = mean.forward(store, new NDList(x), false).singletonOrThrow();
            assertTrue(perStep.mean(new int[] {1}).allClose(averaged, 1e-5, 1e-5, false), name + ": mean readout");

            // Not a bag of frames: the frames in reverse order give another output.
            NDArray reversed = last.forward(store, new NDList(x.flip(2)), false).singletonOrThrow();
            assertFalse(reversed.allClose(logits, 1e-4, 1e-4, false), name + " ignores frame order");
        }
    }

    @Test
    void aFreshNonLocalBlockIsTheIdentityAndShowsInTheLayerTable() {
        ModelConfig plainConfig = ModelConfig.builder().setNumClasses(CLASSES).optFrames(4).optSize(32).build();
        VideoModel plain = ModelRegistry.create("r3d_18", plainConfig);
        VideoModel withBlocks = ModelRegistry.create("r3d_18",
                plainConfig.toBuilder().optNonLocal(List.of("layer2", "layer3")).build());
        LayerRow row = withBlocks.layerTable().row("layer2.nonlocal");
        long c = 128;
        long inner = 64;
        assertEquals(3 * (c * inner + inner) + (inner * c + c) + 2 * c, row.params(), "four 1x1x1 convs and the norm");
        assertEquals(plain.parameterCount() + row.params() + withBlocks.layerTable().row("layer3.nonlocal").params(),
                withBlocks.parameterCount());
        // 2 x 8 x 8 positions at layer2 (4 frames /2, 32 /4), keys pooled 1x2x2 to 2 x 4 x 4
        long positions = 2 * 8 * 8;
        long keys = 2 * 4 * 4;
        long convMacs = positions * c * inner + 2 * keys * c * inner + positions * inner * c;
        assertEquals(convMacs + 2 * positions * keys * inner, row.macs());
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(2).addAll(plain.inputShape());
            Engine.getInstance().setRandomSeed(2);
            plain.initialize(manager, DataType.FLOAT32, input);
            withBlocks.initialize(manager, DataType.FLOAT32, input);
            copy(plain, withBlocks);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.randomNormal(input);
            NDArray before = plain.forward(store, new NDList(x), false).singletonOrThrow();
            NDArray after = withBlocks.forward(store, new NDList(x), false).singletonOrThrow();
            assertTrue(before.allClose(after, 1e-6, 1e-6, false), "a fresh non-local block changed the output");
            // ... because its norm's scale is zero: make it one and the blocks act.
            ParameterNames.of(withBlocks).get("layer3.nonlocal.norm.weight").getArray().set(ones(256));
            NDArray acting = withBlocks.forward(store, new NDList(x), false).singletonOrThrow();
            assertFalse(before.allClose(acting, 1e-4, 1e-4, false), "the blocks never act");
        }
    }

    @Test
    void nonLocalNamesAStageTheModelHas() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelRegistry.create("r3d_18",
                ModelConfig.builder().setNumClasses(CLASSES).optNonLocal(List.of("layer9")).build()));
        assertTrue(e.getMessage().startsWith("r3d_18 has no stage 'layer9' to put a non-local block after; its stages: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("layer2"), e.getMessage());
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }

    /** Copies every parameter of {@code from} to the parameter of the same name in {@code to}. */
    private static void copy(VideoModel from, VideoModel to) {
        Map<String, Parameter> target = ParameterNames.of(to);
        ParameterNames.of(from).forEach((name, p) -> target.get(name).getArray().set(p.getArray().toFloatArray()));
    }
}

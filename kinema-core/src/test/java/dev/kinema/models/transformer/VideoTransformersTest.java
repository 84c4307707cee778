package dev.kinema.models.transformer;

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
import dev.kinema.nn.DropPath;
import dev.kinema.nn.MultiHeadAttention;
import dev.kinema.nn.PositionEmbeddings;
import dev.kinema.nn.SpaceTimeAttention;
import dev.kinema.weights.ParameterNames;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the video transformers do beyond the registry-wide checks. */
class VideoTransformersTest {
    @Test
    void attentionInQueryChunksEqualsTheWholeMatrix() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            NDArray q = m.randomNormal(new Shape(2, 3, 37, 8));
            NDArray k = m.randomNormal(new Shape(2, 3, 41, 8));
            NDArray v = m.randomNormal(new Shape(2, 3, 41, 8));
            NDArray whole = MultiHeadAttention.attend(q, k, v, Long.MAX_VALUE);
            // 6 batch·heads × 41 keys per query: a bound of 1000 entries gives chunks of 4 queries
            NDArray chunked = MultiHeadAttention.attend(q, k, v, 1000);
            assertEquals(new Shape(2, 3, 37, 8), chunked.getShape());
            assertTrue(whole.allClose(chunked, 1e-6, 1e-6, false));
            assertTrue(whole.allClose(MultiHeadAttention.attend(q, k, v, 1), 1e-6, 1e-6, false), "one query at a time");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"vivit-joint-small", "vivit-fe-small", "timesformer-small", "timesformer-space-small"})
    void clipsOfAnotherSizeUseResizedPositionTables(String name) {
        VideoModel model = ModelRegistry.create(name, ModelConfig.of(3, 8, 64));
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 8, 64, 64));
            ParameterStore store = new ParameterStore(m, false);
            NDArray trained = model.forward(store, new NDList(m.randomUniform(0, 1, new Shape(1, 3, 8, 64, 64))), false)
                    .singletonOrThrow();
            NDArray other = model.forward(store, new NDList(m.randomUniform(0, 1, new Shape(2, 3, 4, 96, 96))), false)
                    .singletonOrThrow();
            assertEquals(new Shape(1, 3), trained.getShape());
            assertEquals(new Shape(2, 3), other.getShape());
            assertFalse(other.isNaN().any().getBoolean());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.forward(store, new NDList(m.zeros(new Shape(1, 3, 8, 60, 60))), false));
            assertTrue(e.getMessage().contains("does not divide into"), e.getMessage());
        }
    }

    @Test
    void positionTablesAndClassTokensAreNotWeightDecayed() {
        VideoModel model = ModelRegistry.create("timesformer-small", ModelConfig.of(3, 8, 64));
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m);
            Map<String, Parameter> p = ParameterNames.of(model);
            for (String name : new String[] {"cls_token", "pos_embed", "time_embed"}) {
                assertEquals(Parameter.Type.OTHER, p.get(name).getType(), name);
            }
            assertEquals(Parameter.Type.WEIGHT, p.get("blocks.0.attn.qkv.weight").getType());
            assertEquals(Parameter.Type.GAMMA, p.get("blocks.0.norm1.weight").getType());
            assertTrue(p.containsKey("blocks.0.temporal_fc.weight") && p.containsKey("head.weight"), p.keySet().toString());
        }
    }

    @Test
    void dropPathDropsWholeSamplesInTrainingOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            DropPath dropPath = new DropPath(0.5f);
            NDArray x = m.ones(new Shape(64, 3, 5));
            assertTrue(dropPath.apply(x, false).contentEquals(x));
            float[] perSample = dropPath.apply(x, true).sum(new int[] {1, 2}).toFloatArray();
            int dropped = 0;
            for (float s : perSample) {
                assertTrue(s == 0f || s == 30f, "a sample is dropped whole or scaled by 2, got sum " + s);
                dropped += s == 0f ? 1 : 0;
            }
            assertTrue(dropped > 10 && dropped < 54, dropped + " of 64 dropped at rate 0.5");
            assertEquals(0.1f * 3 / 11, DropPath.linearRate(0.1f, 3, 12), 1e-7);
        }
    }

    @Test
    void sineCosineTablesStartAtZeroAndOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray t = PositionEmbeddings.sinCos(m, 5, 8);
            assertEquals(new Shape(5, 8), t.getShape());
            assertTrue(t.get(0).contentEquals(m.create(new float[] {0, 0, 0, 0, 1, 1, 1, 1})));
            assertEquals((float) Math.sin(1.0), t.getFloat(1, 0), 1e-6);
            assertEquals(new Shape(2 * 3 * 4, 8), PositionEmbeddings.sinCos3d(m, 2, 3, 4, 8).getShape());
        }
    }

    @Test
    void attentionEntriesShowWhyJointAttentionDoesNotScale() {
        // TimeSformer-B's tokens at 8x224x224: 8 frames of 14x14 patches and a class token, 12 heads
        long t = 8;
        long s = 196;
        assertEquals(12L * 1569 * 1569, SpaceTimeAttention.JOINT.entries(t, s, true, 12));
        assertEquals(12L * (1568 * 8 + 8 * 197 * 197), SpaceTimeAttention.DIVIDED.entries(t, s, true, 12));
        assertTrue(SpaceTimeAttention.JOINT.entries(t, s, true, 12) > 7 * SpaceTimeAttention.DIVIDED.entries(t, s, true, 12));
    }
}

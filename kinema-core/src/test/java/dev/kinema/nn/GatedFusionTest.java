package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class GatedFusionTest {
    @Test
    void theSecondVectorGatesTheFirstThroughASigmoid() {
        try (NDManager m = NDManager.newBaseManager()) {
            GatedFusion fusion = new GatedFusion(2, 1);
            fusion.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            // gate = sigmoid(w * b + c) with w = (2, -2), c = (0, 1)
            ai.djl.nn.Block gate = fusion.getChildren().valueAt(0);
            gate.getParameters().get("weight").getArray().set(new float[] {2, -2});
            gate.getParameters().get("bias").getArray().set(new float[] {0, 1});
            NDArray x = m.create(new float[] {3, 5, 0.5f}, new Shape(1, 3));
            float[] out = fusion.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            double g0 = 1 / (1 + Math.exp(-(2 * 0.5)));
            double g1 = 1 / (1 + Math.exp(-(-2 * 0.5 + 1)));
            assertArrayEquals(new float[] {(float) (3 * g0), (float) (5 * g1), 0.5f}, out, 1e-6f);
            assertEquals(2 * 1 + 2, fusion.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum());
        }
    }

    @Test
    void aWrongWidthIsRefusedWithBothWidths() {
        try (NDManager m = NDManager.newBaseManager()) {
            GatedFusion fusion = new GatedFusion(4, 2);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fusion.initialize(m, DataType.FLOAT32, new Shape(1, 5)));
            assertTrue(e.getMessage().contains("4 gated + 2 gating"), e.getMessage());
        }
    }
}

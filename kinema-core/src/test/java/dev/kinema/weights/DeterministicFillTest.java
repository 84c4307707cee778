package dev.kinema.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The fill is bit-for-bit the one in tools/golden/videoresnet.py: the expected values below were
 * printed by that script's {@code uniform} and {@code values} (numpy, float32).
 */
class DeterministicFillTest {
    @Test
    void matchesThePythonFormulaExactly() {
        assertEquals(0x811C9DC5, DeterministicFill.nameHash(""));
        assertEquals(0xF9D86F7B, DeterministicFill.nameHash("input"));
        assertEquals(0xBEB8A822, DeterministicFill.nameHash("stem.1.running_var"));
        assertArrayEquals(new float[] {0.5980662107467651f, 0.3703484535217285f, 0.9605294466018677f,
            -0.9915207624435425f}, DeterministicFill.uniform("input", 4));
        assertArrayEquals(new float[] {0.7102565169334412f, 1.2635713815689087f, 0.624753475189209f},
                DeterministicFill.values("stem.1.running_var", new Shape(3)));
        float[] kernel = DeterministicFill.values("layer1.0.conv1.0.weight", new Shape(2, 64, 3, 3, 3));
        assertArrayEquals(new float[] {0.011723021976649761f, -0.025738220661878586f, 0.03806658089160919f},
                new float[] {kernel[0], kernel[1], kernel[2]});
        assertArrayEquals(new float[] {0.011622929945588112f, -0.005190825555473566f},
                DeterministicFill.values("fc.bias", new Shape(2)));
        assertArrayEquals(new float[] {1.0104597806930542f, 1.0432915687561035f},
                DeterministicFill.values("stem.1.weight", new Shape(2)));
    }

    @Test
    void valuesStayInTheirDocumentedRanges() {
        float[] v = DeterministicFill.uniform("input", 100_000);
        double sum = 0;
        for (float x : v) {
            assertTrue(x >= -1 && x < 1, "v = " + x);
            sum += x;
        }
        assertTrue(Math.abs(sum / v.length) < 0.01, "mean " + sum / v.length);
        for (float x : DeterministicFill.values("layer4.1.bn.running_var", new Shape(512))) {
            assertTrue(x >= 0.5f && x < 1.5f, "running_var " + x);
        }
        float bound = (float) Math.sqrt(3.0 / (512 * 27));
        for (float x : DeterministicFill.values("layer4.1.conv2.0.weight", new Shape(8, 512, 3, 3, 3))) {
            assertTrue(Math.abs(x) <= bound, "kernel " + x);
        }
    }

    @Test
    void fillsEveryParameterOfAnInitialisedModel() {
        VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(3).build());
        assertThrows(IllegalStateException.class, () -> DeterministicFill.fill(model));
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager);
            Map<String, Parameter> filled = DeterministicFill.fill(model);
            assertEquals(model.getParameters().size(), filled.size());
            filled.forEach((name, p) -> assertArrayEquals(DeterministicFill.values(name, p.getArray().getShape()),
                    p.getArray().toFloatArray(), name));
        }
    }
}

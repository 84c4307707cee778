package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StatefulOptimizerTest {
    /** y = w * x + b with w = 2, b = 0.5: the loss y has gradients dL/dw = x and dL/db = 1. */
    private static Block line(NDManager manager) {
        Block block = Linear.builder().setUnits(1).build();
        block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
        param(block, Parameter.Type.WEIGHT).getArray().set(new float[] {2f});
        param(block, Parameter.Type.BIAS).getArray().set(new float[] {0.5f});
        return block;
    }

    private static Parameter param(Block block, Parameter.Type type) {
        return block.getParameters().values().stream().filter(p -> p.getType() == type).findFirst().orElseThrow();
    }

    private static float value(Block block, Parameter.Type type) {
        return param(block, type).getArray().getFloat();
    }

    /** Backward of y at x = 3, then one optimiser update. */
    private static void step(Block block, StatefulOptimizer optimizer, float lr, NDManager manager) {
        try (NDManager step = manager.newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(step, false), new NDList(step.create(new float[] {3f},
                        new Shape(1, 1))), true).singletonOrThrow();
                collector.backward(y.sum());
            }
            optimizer.step(block.getParameters(), lr, step);
        }
    }

    @Test
    void sgdWithMomentumAndWeightDecayByHand() {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer sgd = StatefulOptimizer.sgd(manager, 0.9f, 0.01f)) {
            Block block = line(manager);
            // buf = g + wd * w = 3 + 0.01 * 2 = 3.02; w = 2 - 0.1 * 3.02 = 1.698.
            // The bias is not decayed: buf = 1, b = 0.5 - 0.1 = 0.4.
            step(block, sgd, 0.1f, manager);
            assertEquals(1.698f, value(block, Parameter.Type.WEIGHT), 1e-6f);
            assertEquals(0.4f, value(block, Parameter.Type.BIAS), 1e-6f);
            // buf = 0.9 * 3.02 + 3 + 0.01 * 1.698 = 5.73498; w = 1.698 - 0.573498 = 1.124502.
            // Had the gradient not been zeroed, it would be 6 and w would fall further.
            step(block, sgd, 0.1f, manager);
            assertEquals(1.124502f, value(block, Parameter.Type.WEIGHT), 1e-6f);
            // bias buf = 0.9 + 1 = 1.9; b = 0.4 - 0.19 = 0.21.
            assertEquals(0.21f, value(block, Parameter.Type.BIAS), 1e-6f);
            assertEquals(2, sgd.steps());
        }
    }

    @Test
    void adamwByHand() {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer adamw = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0.01f)) {
            Block block = line(manager);
            // t = 1: w = 2 * (1 - 0.1 * 0.01) = 1.998; m = 0.3, v = 0.009; m / (1 - 0.9) = 3,
            // sqrt(v / (1 - 0.999)) = 3, so w -= 0.1 * 3 / 3 -> 1.898.
            step(block, adamw, 0.1f, manager);
            assertEquals(1.898f, value(block, Parameter.Type.WEIGHT), 1e-6f);
            // t = 2: w = 1.898 * 0.999 = 1.896102; m = 0.57, v = 0.017991; m / 0.19 = 3,
            // sqrt(0.017991 / 0.001999) = 3, so w -= 0.1 -> 1.796102.
            step(block, adamw, 0.1f, manager);
            assertEquals(1.796102f, value(block, Parameter.Type.WEIGHT), 1e-5f);
            // Bias: no decay, Adam moves it by lr each time here: 0.5 - 0.1 - 0.1.
            assertEquals(0.3f, value(block, Parameter.Type.BIAS), 1e-6f);
        }
    }

    @Test
    void savedStateContinuesExactly() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer original = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0.01f);
                StatefulOptimizer resumed = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0.01f)) {
            Block a = line(manager);
            step(a, original, 0.1f, manager);
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            original.save(new DataOutputStream(saved));
            resumed.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            assertEquals(1, resumed.steps());
            // A second block with a's weights continues under the restored state; both must agree
            // exactly (the moments and t, which sets the bias correction, were restored).
            Block b = line(manager);
            param(b, Parameter.Type.WEIGHT).getArray().set(new float[] {value(a, Parameter.Type.WEIGHT)});
            param(b, Parameter.Type.BIAS).getArray().set(new float[] {value(a, Parameter.Type.BIAS)});
            step(a, original, 0.1f, manager);
            step(b, resumed, 0.1f, manager);
            assertEquals(value(a, Parameter.Type.WEIGHT), value(b, Parameter.Type.WEIGHT));
            assertEquals(value(a, Parameter.Type.BIAS), value(b, Parameter.Type.BIAS));
            assertEquals(1.796102f, value(b, Parameter.Type.WEIGHT), 1e-5f);
            // Another optimiser's state is refused.
            try (StatefulOptimizer sgd = StatefulOptimizer.sgd(manager, 0.9f, 0f)) {
                IOException e = assertThrows(IOException.class,
                        () -> sgd.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray()))));
                assertEquals("the saved optimizer state is adamw's, but this optimizer is sgd", e.getMessage());
            }
        }
    }

    @Test
    void unknownOptimizerIsRejected() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(IllegalArgumentException.class, () -> StatefulOptimizer.create("rmsprop", manager, 0f));
        }
    }
}

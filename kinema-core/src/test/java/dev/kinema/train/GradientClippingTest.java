package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {
    private static final Shape INPUT = new Shape(2, 3, 4, 8, 8);

    /** The test conv model after one backward pass of a large loss, in {@code manager}. */
    private static Block withGradients(NDManager manager) {
        Engine.getInstance().setRandomSeed(3);
        Block model = TestModels.smallConv(4);
        model.initialize(manager, DataType.FLOAT32, INPUT);
        NDArray clips = manager.randomNormal(INPUT);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray logits = model.forward(new ParameterStore(manager, false), new ai.djl.ndarray.NDList(clips), true)
                    .singletonOrThrow();
            // Squared logits times 100: gradients far above any sensible bound.
            collector.backward(logits.square().sum().mul(100));
        }
        return model;
    }

    /** Every gradient, flattened, in parameter order. */
    private static List<float[]> gradients(Block model) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            // BatchNorm's running statistics are parameters without gradients.
            if (p.getValue().requiresGradient()) {
                out.add(p.getValue().getArray().getGradient().toFloatArray());
            }
        }
        return out;
    }

    /** The L2 norm of all of them together, in double precision. */
    private static double norm(List<float[]> gradients) {
        double sum = 0;
        for (float[] g : gradients) {
            for (float x : g) {
                sum += (double) x * x;
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void aClippedStepsGlobalNormIsAtMostTheBoundAndKeepsItsDirection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = withGradients(manager);
            List<float[]> before = gradients(model);
            double original = norm(before);
            assertEquals(original, GradientClipping.globalNorm(model, manager), 1e-4 * original);
            double bound = original / 8;
            assertTrue(bound > 1, "the loss makes gradients large enough to clip: " + original);

            double reported = GradientClipping.clip(model, bound, manager);
            assertEquals(original, reported, 1e-4 * original, "clip returns the norm before clipping");
            List<float[]> after = gradients(model);
            double clipped = norm(after);
            assertTrue(clipped <= bound * (1 + 1e-5), clipped + " > " + bound);
            assertEquals(bound, clipped, 1e-4 * bound, "clipped to the bound, not below it");
            // Every gradient scaled by the same factor, torch's max_norm / (norm + 1e-6).
            float coefficient = (float) (bound / (original + 1e-6));
            for (int i = 0; i < before.size(); i++) {
                float[] expected = before.get(i).clone();
                for (int j = 0; j < expected.length; j++) {
                    expected[j] *= coefficient;
                }
                assertArrayEquals(expected, after.get(i), 1e-5f * (float) bound, "gradient " + i);
            }
        }
    }

    @Test
    void gradientsWithinTheBoundAreLeftAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = withGradients(manager);
            List<float[]> before = gradients(model);
            GradientClipping.clip(model, norm(before) * 2, manager);
            List<float[]> after = gradients(model);
            for (int i = 0; i < before.size(); i++) {
                assertArrayEquals(before.get(i), after.get(i), "gradient " + i);
            }
        }
    }

    @Test
    void aBoundThatIsNotPositiveIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OptimizerConfig("adamw", 1e-3, 0.9, 0.05, null, 0.0));
        assertTrue(e.getMessage().contains("gradient clipping norm"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TrainConfig.builder().setData("d").setModel("m").optClipGradNorm(Double.NaN).build());
    }
}

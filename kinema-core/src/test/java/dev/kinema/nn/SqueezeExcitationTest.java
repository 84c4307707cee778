package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Squeeze-excitation, Swish and depthwise 3D convolution against hand-computed small cases. */
class SqueezeExcitationTest {
    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Test
    void swishIsXTimesSigmoidX() {
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] x = {-3, -1, 0, 0.5f, 2};
            float[] y = Swish.apply(manager.create(x)).toFloatArray();
            for (int i = 0; i < x.length; i++) {
                assertEquals(x[i] * sigmoid(x[i]), y[i], 1e-6, "swish(" + x[i] + ")");
            }
            // swish(-1) = -1 / (1 + e) = -0.268941...
            assertEquals(-0.2689414, y[1], 1e-6);
        }
    }

    @Test
    void roundWidthFollowsPyTorchVideo() {
        // X3D's SE bottlenecks for 54, 108, 216, 432 channels at ratio 1/16: 3.375 -> 8, 6.75 -> 8,
        // 13.5 -> 16, and 27 -> 24, which loses over 10%, so 32.
        assertEquals(8, SqueezeExcitation.roundWidth(54, 1.0 / 16));
        assertEquals(8, SqueezeExcitation.roundWidth(108, 1.0 / 16));
        assertEquals(16, SqueezeExcitation.roundWidth(216, 1.0 / 16));
        assertEquals(32, SqueezeExcitation.roundWidth(432, 1.0 / 16));
        assertEquals(24, SqueezeExcitation.roundWidth(12, 2.0));
        assertEquals(56, SqueezeExcitation.roundWidth(28, 2.0));
    }

    @Test
    void gatesEachChannelByItsMean() {
        // 2 channels, reduced to 1; every weight and bias set by hand.
        SqueezeExcitation se = new SqueezeExcitation(2, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 2, 2, 1, 1);
            se.initialize(manager, DataType.FLOAT32, shape);
            Map<String, Parameter> p = dev.kinema.weights.ParameterNames.of(se);
            assertEquals(java.util.List.of("block.0.weight", "block.0.bias", "block.2.weight", "block.2.bias"),
                    java.util.List.copyOf(p.keySet()));
            p.get("block.0.weight").getArray().set(new float[] {1, -2});
            p.get("block.0.bias").getArray().set(new float[] {0.5f});
            p.get("block.2.weight").getArray().set(new float[] {2, -1});
            p.get("block.2.bias").getArray().set(new float[] {0, 1});
            // channel 0 = {1, 3} (mean 2), channel 1 = {-1, 0} (mean -0.5)
            NDArray x = manager.create(new float[] {1, 3, -1, 0}, shape);
            float[] y = se.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            double hidden = Math.max(0, 1 * 2 + -2 * -0.5 + 0.5); // relu(3.5)
            double g0 = sigmoid(2 * hidden);
            double g1 = sigmoid(-1 * hidden + 1);
            assertArrayEquals(new float[] {(float) (1 * g0), (float) (3 * g0), (float) (-1 * g1), 0}, y, 1e-6f);
        }
    }

    @Test
    void profilesTheTwoConvolutionsOnThePooledMap() {
        LayerTable t = Profiler.profile(new SqueezeExcitation(432, 32), new Shape(432, 13, 5, 5));
        assertEquals(432 * 32 + 32 + 32 * 432 + 432, t.totalParams());
        assertEquals(2L * 432 * 32, t.totalMacs());
        assertArrayEquals(new long[] {432, 13, 5, 5}, t.outputShape());
        assertThrows(IllegalArgumentException.class,
                () -> Profiler.profile(new SqueezeExcitation(8, 8), new Shape(4, 1, 2, 2)));
    }

    @Test
    void depthwiseConv3dRunsEachChannelOnItsOwn() {
        // DJL's Conv3d with one group per channel, on the PyTorch engine: 2 channels, 3x1x1 kernels.
        Conv3d conv = Conv3d.builder().setFilters(2).setKernelShape(new Shape(3, 1, 1)).optPadding(new Shape(1, 0, 0))
                .optGroups(2).optBias(false).build();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 2, 3, 1, 1);
            conv.initialize(manager, DataType.FLOAT32, shape);
            NDArray w = conv.getParameters().get("weight").getArray();
            assertEquals(new Shape(2, 1, 3, 1, 1), w.getShape());
            w.set(new float[] {1, 2, 3, -1, 0, 1});
            NDArray x = manager.create(new float[] {1, 2, 3, 10, 20, 30}, shape);
            float[] y = conv.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow().toFloatArray();
            // channel 0: [0,1,2]·[1,2,3]=8, [1,2,3]·[1,2,3]=14, [2,3,0]·[1,2,3]=8
            // channel 1: [0,10,20]·[-1,0,1]=20, [10,20,30]·[-1,0,1]=20, [20,30,0]·[-1,0,1]=-20
            assertArrayEquals(new float[] {8, 14, 8, 20, 20, -20}, y, 1e-5f);
            LayerTable t = Profiler.profile(conv, new Shape(2, 3, 1, 1));
            assertEquals(6, t.totalParams());
            assertEquals(2 * 3 * 3, t.totalMacs());
        }
    }
}

package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Folded conv+BN inference against the plain eval-mode forward, on a tiny and on video ResNets. */
class ConvNormFoldingTest {
    @AfterEach
    void clearOptions() {
        System.clearProperty(InferenceOptions.FUSE_BN);
    }

    @Test
    void tinyModelFoldsEveryPairAndMatchesUnfoldedLogits() {
        LayerFactory layers = LayerFactory.defaults();
        NamedSequential net = NamedSequential.layers()
                .add("conv1", layers.convNormAct(ConvSpec.conv3d(3, 8, 3, 3, 3).padding(1)))
                .add("conv2", layers.convNorm(ConvSpec.conv3d(8, 8, 3, 3, 3).stride(2).padding(1)))
                // a convolution with its own bias, which the fold carries through the norm
                .add("conv3", NamedSequential.unit().add("conv", GuardedConv3d.of(ConvSpec.conv3d(8, 4, 1, 3, 3).bias(true)))
                        .add("norm", BatchNorm.builder().build()));
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Shape input = new Shape(2, 3, 4, 10, 10);
            net.initialize(manager, DataType.FLOAT32, input);
            randomiseNorms(net, manager);
            NDArray x = manager.randomNormal(input);
            float[] plain = eval(net, x);
            assertEquals(3, ConvNormFolding.apply(net));
            float[] folded = eval(net, x);
            assertClose(plain, folded, 1e-4f);
            System.setProperty(InferenceOptions.FUSE_BN, "false");
            assertClose(plain, eval(net, x), 0f);   // the switch gives the unfused path back, bit for bit
        }
    }

    /**
     * r(2+1)d_18 has both kinds of pair: a convolution then its norm (the (2+1)D spatial half, the
     * projections) and a sequence ending in a convolution (the temporal half) then the norm.
     */
    @Test
    void videoResNetMatchesUnfoldedLogitsAndRefoldsAfterTraining() {
        String name = "r2plus1d_18";
        VideoModel net = ModelRegistry.create(name, ModelConfig.builder().setNumClasses(10).optFrames(4).optSize(16)
                .build());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            Shape input = new Shape(2, 3, 4, 16, 16);   // two clips: a training-mode norm needs them on a 1×1×1 map
            net.initialize(manager, DataType.FLOAT32, input);
            randomiseNorms(net, manager);
            NDArray x = manager.randomNormal(input);
            float[] plain = eval(net, x);
            // the stem's two, two per (2+1)D convolution (16 of them), three projections
            assertEquals(37, ConvNormFolding.apply(net), name);
            assertClose(plain, eval(net, x), 1e-4f);
            GuardedConv3d stemConv = (GuardedConv3d) firstConv(net);
            assertTrue(stemConv.hasFoldedWeights(), "the eval forward ran the folded convolution");
            // A training-mode forward moves the running statistics: the folded weights must follow.
            try (NDManager step = manager.newSubManager()) {
                x.tempAttach(step);
                net.forward(new ParameterStore(step, false), new NDList(x), true);
            }
            System.setProperty(InferenceOptions.FUSE_BN, "false");
            float[] plainAfter = eval(net, x);
            System.clearProperty(InferenceOptions.FUSE_BN);
            assertTrue(maxAbsDiff(plain, plainAfter) > 1e-3, "training moved the running statistics");
            assertFalse(stemConv.hasFoldedWeights(), "the training forward dropped the folded weights");
            assertClose(plainAfter, eval(net, x), 1e-4f);
            assertTrue(stemConv.hasFoldedWeights());
        }
    }

    private static Block firstConv(Block block) {
        if (block instanceof GuardedConv3d) {
            return block;
        }
        for (Block child : block.getChildren().values()) {
            Block found = firstConv(child);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Gamma, beta and running statistics away from the identity, so that folding has something to fold. */
    static void randomiseNorms(Block block, NDManager manager) {
        if (block instanceof BatchNorm norm) {
            long c = norm.getParameters().get("gamma").getArray().getShape().get(0);
            norm.getParameters().get("gamma").getArray().set(manager.randomUniform(0.5f, 1.5f, new Shape(c)).toFloatArray());
            norm.getParameters().get("beta").getArray().set(manager.randomNormal(new Shape(c)).toFloatArray());
            norm.getParameters().get("runningMean").getArray().set(manager.randomNormal(new Shape(c)).toFloatArray());
            norm.getParameters().get("runningVar").getArray().set(manager.randomUniform(0.5f, 2f, new Shape(c)).toFloatArray());
        }
        for (Block child : block.getChildren().values()) {
            randomiseNorms(child, manager);
        }
    }

    private static float[] eval(Block net, NDArray x) {
        try (NDManager step = x.getManager().newSubManager()) {
            x.tempAttach(step);
            return net.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    private static void assertClose(float[] expected, float[] actual, float tolerance) {
        assertEquals(expected.length, actual.length);
        double diff = maxAbsDiff(expected, actual);
        assertTrue(diff <= tolerance * Math.max(1, maxAbs(expected)), "max abs diff " + diff);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}

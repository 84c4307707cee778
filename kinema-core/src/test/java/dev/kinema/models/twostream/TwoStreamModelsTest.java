package dev.kinema.models.twostream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.Modality;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.TinyModels;
import dev.kinema.models.VideoModel;
import org.junit.jupiter.api.Test;

class TwoStreamModelsTest {
    private static final int CLASSES = 4;
    private static final int L = 10;
    private static final int SIZE = 32;

    private static ModelConfig config(int frames) {
        return ModelConfig.builder().setNumClasses(CLASSES).optFrames(frames).optSize(SIZE).build();
    }

    @Test
    void theTemporalStreamsFirstConvolutionSeesTheWholeStack() {
        VideoModel temporal = ModelRegistry.create("temporal-stream", config(L));
        assertEquals(new Shape(2, L, SIZE, SIZE), temporal.inputShape());
        assertEquals("Conv2D(3x3, " + 2 * L + "->16)", temporal.layerTable().rows().get(0).op(),
                temporal.layerTable().toString());
        VideoModel earlyFusionOfRgb = ModelRegistry.create("early-fusion", config(L));
        // Same network as early fusion but for the first convolution's input channels: 2L instead of 3L.
        long conv1Difference = (3L * L - 2L * L) * 16 * 3 * 3;
        assertEquals(earlyFusionOfRgb.parameterCount() - conv1Difference, temporal.parameterCount());
        try (NDManager manager = NDManager.newBaseManager()) {
            temporal.initialize(manager);
            assertEquals(temporal.parameterCount(), TinyModels.trainableParameters(temporal));
            Shape conv1 = temporal.getParameters().get(0).getValue().getArray().getShape();
            assertEquals(new Shape(16, 2 * L, 3, 3), conv1);
        }
    }

    @Test
    void theTwoStreamModelsAreTheirStreamsAndTheFusion() {
        VideoModel spatial = ModelRegistry.create("spatial-stream", config(L));
        VideoModel temporal = ModelRegistry.create("temporal-stream", config(L));
        VideoModel single = ModelRegistry.create("single-frame", config(L));
        assertEquals(single.parameterCount(), spatial.parameterCount());
        assertEquals(new Shape(3, L, SIZE, SIZE), spatial.inputShape());

        VideoModel avg = ModelRegistry.create("two-stream", config(L));
        assertEquals(new Shape(5, L, SIZE, SIZE), avg.inputShape());
        assertEquals(spatial.parameterCount() + temporal.parameterCount(), avg.parameterCount());
        assertEquals(spatial.macs() + temporal.macs(), avg.macs());

        VideoModel linear = ModelRegistry.create("two-stream-linear", config(L));
        long backbones = spatial.parameterCount() + temporal.parameterCount() - 2 * (128 * CLASSES + CLASSES);
        assertEquals(backbones + (128 + 128) * CLASSES + CLASSES, linear.parameterCount());
        assertTrue(TwoStreamModels.isTwoStream(avg) && TwoStreamModels.isTwoStream(linear));
        assertEquals(Modality.RGB_FLOW, Modality.ofChannels(avg.config().channels()));
    }

    @Test
    void averageFusionIsTheMeanOfTheStreamsProbabilities() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            VideoModel spatial = ModelRegistry.create("spatial-stream", config(L));
            VideoModel temporal = ModelRegistry.create("temporal-stream", config(L));
            VideoModel two = ModelRegistry.create("two-stream", config(L));
            spatial.initialize(manager);
            temporal.initialize(manager);
            two.initialize(manager);
            TwoStreamModels.loadStream(two, spatial);
            TwoStreamModels.loadStream(two, temporal);

            ParameterStore store = new ParameterStore(manager, false);
            NDArray rgb = manager.randomNormal(new Shape(3, 3, L, SIZE, SIZE));
            NDArray flow = manager.randomNormal(new Shape(3, 2, L, SIZE, SIZE));
            NDArray packed = TwoStreamModels.pack(rgb, flow);
            NDArray ps = spatial.predictProbabilities(store, rgb);
            NDArray pt = temporal.predictProbabilities(store, flow);
            NDArray fused = two.predictProbabilities(store, packed);
            assertTrue(fused.allClose(ps.add(pt).div(2), 1e-5, 1e-6, false),
                    fused + " vs " + ps.add(pt).div(2));
            // The streams disagree on random weights, so the test distinguishes averaging from either stream.
            assertTrue(ps.sub(pt).abs().max().getFloat() > 1e-3);
            // Training output: the log of the same average (cross-entropy of the fused prediction).
            NDArray trainingOut = two.forward(store, new NDList(packed), true).singletonOrThrow();
            NDArray trainingMean = spatial.forward(store, new NDList(rgb), true).singletonOrThrow().softmax(1)
                    .add(temporal.forward(store, new NDList(flow), true).singletonOrThrow().softmax(1)).div(2);
            assertTrue(trainingOut.exp().allClose(trainingMean, 1e-5, 1e-6, false));
        }
    }

    @Test
    void linearFusionIsALinearClassifierOnTheConcatenatedPooledFeatures() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            VideoModel spatial = ModelRegistry.create("spatial-stream", config(L));
            VideoModel temporal = ModelRegistry.create("temporal-stream", config(L));
            VideoModel linear = ModelRegistry.create("two-stream-linear", config(L));
            spatial.initialize(manager);
            temporal.initialize(manager);
            linear.initialize(manager);
            TwoStreamModels.loadStream(linear, spatial);
            TwoStreamModels.loadStream(linear, temporal);
            int d = 256;
            float[] w = new float[CLASSES * d];
            float[] b = new float[CLASSES];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.sin(i);
            }
            for (int k = 0; k < CLASSES; k++) {
                b[k] = k - 1.5f;
            }
            TwoStreamModels.setFusion(linear, w, b);

            ParameterStore store = new ParameterStore(manager, false);
            NDArray rgb = manager.randomNormal(new Shape(2, 3, L, SIZE, SIZE));
            NDArray flow = manager.randomNormal(new Shape(2, 2, L, SIZE, SIZE));
            NDArray out = linear.forward(store, new NDList(TwoStreamModels.pack(rgb, flow)), false).singletonOrThrow();
            NDArray fs = spatial.forwardFeatures(store, new NDList(rgb), false).singletonOrThrow(); // N x 128 x L x h x w
            NDArray ft = temporal.forwardFeatures(store, new NDList(flow), false).singletonOrThrow(); // N x 128 x h x w
            NDArray pooled = fs.mean(new int[] {4}).mean(new int[] {3}).mean(new int[] {2})
                    .concat(ft.mean(new int[] {3}).mean(new int[] {2}), 1);
            NDArray expected = pooled.matMul(manager.create(w, new Shape(CLASSES, d)).transpose())
                    .add(manager.create(b));
            assertTrue(out.allClose(expected, 1e-4, 1e-4, false), out + " vs " + expected);
        }
    }

    @Test
    void streamsOnlyLoadIntoAMatchingTwoStreamModel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel two = ModelRegistry.create("two-stream", config(L));
            two.initialize(manager);
            VideoModel slow = ModelRegistry.create("slow-fusion", config(L));
            slow.initialize(manager);
            assertThrows(IllegalArgumentException.class, () -> TwoStreamModels.loadStream(two, slow));
            VideoModel otherStack = ModelRegistry.create("temporal-stream", config(5));
            otherStack.initialize(manager);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> TwoStreamModels.loadStream(two, otherStack));
            assertTrue(e.getMessage().contains("does not fit"), e.getMessage());
            NDArray rgb = manager.zeros(new Shape(1, 3, 4, SIZE, SIZE));
            assertThrows(IllegalArgumentException.class,
                    () -> TwoStreamModels.pack(rgb, manager.zeros(new Shape(1, 2, 5, SIZE, SIZE))));
            assertArrayEquals(new long[] {1, 5, 4, SIZE, SIZE},
                    TwoStreamModels.pack(rgb, manager.zeros(new Shape(1, 2, 4, SIZE, SIZE))).getShape().getShape());
        }
    }
}

package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Inflating per-frame 2D models: exact on constant videos, Kt times the cost, trainable, clear refusals. */
class InflateTest {
    private static final int FRAMES = 4;
    private static final int SIZE = 32;

    private static VideoModel model2d(String name, String backbone) {
        return ModelRegistry.create(name, TinyModels.config(backbone, 5, FRAMES, SIZE));
    }

    /** Initialised, with BatchNorm scales, shifts and running statistics away from their identity defaults. */
    private static VideoModel initialised(VideoModel model, NDManager m) {
        model.initialize(m);
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray a = p.getValue().getArray();
            String name = p.getKey();
            if (name.endsWith("gamma") || name.endsWith("runningVar")) {
                a.set(m.randomUniform(0.5f, 1.5f, a.getShape()).toFloatArray());
            } else if (name.endsWith("beta") || name.endsWith("runningMean")) {
                a.set(m.randomUniform(-0.5f, 0.5f, a.getShape()).toFloatArray());
            }
        }
        return model;
    }

    /** One random frame repeated over the clip's frames. */
    private static NDArray constantVideo(NDManager m) {
        return m.randomUniform(0, 1, new Shape(1, 3, 1, SIZE, SIZE)).repeat(2, FRAMES);
    }

    /**
     * Kt = 3 everywhere, except in ResNet-18's last two stages (Kt = 1 there): 3x3x3 convs of 256 and
     * 512 channels would triple 10M weights and make the test slow without testing anything more.
     */
    private static int[] kts(VideoModel flat) {
        List<String> layers = Inflate.inflatableLayers(flat);
        int[] kt = new int[layers.size()];
        for (int i = 0; i < kt.length; i++) {
            kt[i] = layers.get(i).startsWith("layer3") || layers.get(i).startsWith("layer4") ? 1 : 3;
        }
        return kt;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"single-frame, small", "single-frame, resnet18", "late-fusion-pool, small", "late-fusion-fc, small",
        "toy-late-fusion, "})
    void onAConstantVideoTheInflatedNetworkComputesThe2dOutput(String name, String backbone) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            VideoModel flat = initialised(model2d(name, backbone), m);
            VideoModel inflated = Inflate.toVideo(flat, kts(flat));
            ParameterStore store = new ParameterStore(m, false);
            NDArray video = constantVideo(m);
            NDArray expected = flat.forward(store, new NDList(video), false).singletonOrThrow();
            NDArray got = inflated.forward(store, new NDList(video), false).singletonOrThrow();
            assertEquals(expected.getShape(), got.getShape());
            float gap = got.sub(expected).abs().max().getFloat();
            assertTrue(gap < 1e-4, name + ": inflated output differs by " + gap);
            assertTrue(expected.abs().max().getFloat() > 1e-2, "a test that compares near-zero outputs proves little");
            // On a moving video the 3D kernels see neighbouring frames: not the 2D network any more.
            NDArray moving = m.randomUniform(0, 1, new Shape(1, 3, FRAMES, SIZE, SIZE));
            assertFalse(inflated.forward(store, new NDList(moving), false).singletonOrThrow()
                    .allClose(flat.forward(store, new NDList(moving), false).singletonOrThrow(), 1e-3, 1e-3, false));
        }
    }

    @Test
    void weightsAreCopiedAlongTimeAndDividedByKt() {
        try (NDManager m = NDManager.newBaseManager()) {
            VideoModel flat = initialised(model2d("single-frame", "small"), m);
            VideoModel inflated = Inflate.toVideo(flat, 3);
            NDArray w2 = flat.getParameters().valueAt(0).getArray();
            NDArray w3 = inflated.getParameters().valueAt(0).getArray();
            assertEquals(new Shape(16, 3, 3, 3), w2.getShape());
            assertEquals(new Shape(16, 3, 3, 3, 3), w3.getShape());
            for (int t = 0; t < 3; t++) {
                assertTrue(w3.get(new NDIndex(":, :, {}", t)).mul(3).allClose(w2, 1e-6, 1e-7, false), "time step " + t);
            }
        }
    }

    @Test
    void zeroTemporalPaddingIsNotExactAtTheClipsEnds() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(6);
            VideoModel flat = initialised(model2d("late-fusion-fc", "small"), m);
            VideoModel zeros = Inflate.toVideo(flat, Inflate.TemporalPadding.ZEROS, 3);
            ParameterStore store = new ParameterStore(m, false);
            NDArray video = constantVideo(m);
            NDArray expected = flat.forward(store, new NDList(video), false).singletonOrThrow();
            assertFalse(zeros.forward(store, new NDList(video), false).singletonOrThrow().allClose(expected, 1e-3, 1e-3, false));
            // The first frame's features are where the zeros come in.
            NDArray f2 = flat.forwardFeatures(store, new NDList(video), false).singletonOrThrow();
            NDArray f3 = zeros.forwardFeatures(store, new NDList(video), false).singletonOrThrow();
            assertFalse(f3.get(new NDIndex(":, :, 0")).allClose(f2.get(new NDIndex(":, :, 0")), 1e-3, 1e-3, false));
        }
    }

    @Test
    void costGrowsByKtPerInflatedLayer() {
        VideoModel flat = model2d("single-frame", "small");
        assertEquals(List.of("conv1.conv", "pool1", "conv2.conv", "pool2", "conv3.conv", "pool3", "conv4.conv", "pool4"),
                Inflate.inflatableLayers(flat));
        List<String> resnet = Inflate.inflatableLayers(model2d("single-frame", "resnet18"));
        assertEquals(List.of("stem.conv", "pool", "layer1.0.main.conv1.conv"), resnet.subList(0, 3));
        assertEquals("layer2.0.shortcut.conv", resnet.get(8));
        assertEquals(1 + 1 + 16 + 3, resnet.size());   // stem, pool, two convs per block, three projections
        VideoModel inflated = Inflate.toVideo(flat, 3, 1, 5, 1, 1, 1, 1, 3);
        LayerTable t2 = flat.layerTable();
        LayerTable t3 = inflated.layerTable();
        assertEquals(t2.rows().stream().map(LayerRow::name).toList(), t3.rows().stream().map(LayerRow::name).toList());
        assertEquals("Conv3D(3x3x3, 3->16)", t3.row("conv1").op());
        assertEquals("Conv3D(5x3x3, 16->32)", t3.row("conv2").op());
        assertEquals("MaxPool3D(3x2x2, stride 1x2x2, pad 1x0x0)", t3.row("pool4").op());
        int[] kt = {3, 5, 1, 1};
        for (int i = 0; i < 4; i++) {
            String conv = "conv" + (i + 1);
            long norm = 2 * t2.row(conv).shape()[0];
            assertEquals(kt[i] * t2.row(conv).macs(), t3.row(conv).macs(), conv);
            assertEquals(kt[i] * (t2.row(conv).params() - norm) + norm, t3.row(conv).params(), conv);
        }
        // Time receptive field: 1 + 2 (conv1) + 4 (conv2) + 2 (pool4)
        assertEquals(1, t2.row("pool4").receptiveField()[0]);
        assertEquals(FRAMES, t3.row("conv2").receptiveField()[0]);   // 7, capped at the clip's 4 frames
        assertEquals(t2.totalMacs() + 2 * t2.row("conv1").macs() + 4 * t2.row("conv2").macs(), t3.totalMacs());
    }

    @Test
    void anInflatedModelTrains() {
        VideoModel inflated = Inflate.toVideo(model2d("single-frame", "small"), 3);   // uninitialised 2D: structure only
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(8);
            inflated.initialize(m);
            ParameterStore store = new ParameterStore(m, false);
            NDArray clips = m.randomNormal(new Shape(2, 3, FRAMES, SIZE, SIZE));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = inflated.forward(store, new NDList(clips), true).singletonOrThrow();
                assertEquals(new Shape(2, 5), logits.getShape());
                NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(m.create(new float[] {1, 4})),
                        new NDList(logits));
                collector.backward(loss);
            }
            NDArray grad = inflated.getParameters().valueAt(0).getArray().getGradient();
            assertEquals(new Shape(16, 3, 3, 3, 3), grad.getShape());
            assertTrue(grad.abs().sum().getFloat() > 0, "no gradient reaches the first inflated conv");
            assertFalse(grad.isNaN().any().getBoolean());
        }
    }

    @Test
    void refusesWhatIsNotAPerFrame2dNetwork() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Inflate.toVideo(model2d("early-fusion", "small"), 3));
        assertTrue(e.getMessage().startsWith("cannot inflate early-fusion: conv1.conv (Conv2d) is a 2D convolution that "
                + "does not run on single frames"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inflate.toVideo(ModelRegistry.create("tiny-3d", 3), 3));
        assertTrue(e.getMessage().startsWith("cannot inflate tiny-3d: conv1.conv (GuardedConv3d) is a layer outside the per-frame"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inflate.toVideo(ModelRegistry.create("tsm_r18",
                TinyModels.config(null, 3, 2, 32)), 3));
        assertTrue(e.getMessage().startsWith("cannot inflate tsm_r18: conv1 (Conv2d)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inflate.toVideo(model2d("single-frame", "small"), 2));
        assertEquals("Kt must be odd and >= 1 (a kernel centred on its frame), got [2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Inflate.toVideo(model2d("single-frame", "small"), 3, 3));
        assertTrue(e.getMessage().startsWith("single-frame has 8 inflatable layers (convolutions and poolings), got 2 Kt"),
                e.getMessage());
    }
}

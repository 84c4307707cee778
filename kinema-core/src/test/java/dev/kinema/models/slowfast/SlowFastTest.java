package dev.kinema.models.slowfast;

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
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.PyTorchVideoReference;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.MultiPathwayNet;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Profiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowFastTest {
    private static final Shape SMALL = new Shape(1, 3, 8, 32, 32);

    private static VideoModel slowfast(int classes) {
        return ModelRegistry.create("slowfast_r50", classes);
    }

    @Test
    void parameterCountIsTheModelZoos() {
        VideoModel m = slowfast(400);
        assertEquals(new Shape(3, 32, 224, 224), m.inputShape());
        // PyTorchVideo's model zoo: SlowFast R50 8x8, 34.57 M parameters.
        assertEquals(34_566_488L, m.parameterCount());
        assertEquals("34.57", String.format(Locale.ROOT, "%.2f", m.parameterCount() / 1e6));
    }

    @Test
    void macsMatchTheModelZooAt256() {
        VideoModel m = slowfast(400);
        assertEquals(50_308_583_424L, m.macs());
        // The zoo's 65.71 GFLOPs (fvcore: one multiply-add is one FLOP) are for 256 x 256 crops.
        long at256 = m.macs(new Shape(3, 32, 256, 256));
        assertEquals("65.71", String.format(Locale.ROOT, "%.2f", at256 / 1e9));
    }

    @Test
    void macSplitAccountsForEveryMacAndTheFastPathwayAlone() {
        VideoModel m = slowfast(400);
        LayerTable table = m.layerTable();
        SlowFast.MacSplit split = SlowFast.macSplit(table);
        assertEquals(table.totalMacs(), split.total());

        // The fast pathway's blocks on their own, profiled as a plain sequence over the 32-frame clip.
        MultiPathwayNet trunk = (MultiPathwayNet) m.features();
        NamedSequential fastOnly = NamedSequential.layers();
        for (int i = 0; i < trunk.stageCount(); i++) {
            fastOnly.add(Integer.toString(i), trunk.stage(i).blocks().get(1));
        }
        assertEquals(Profiler.profile(fastOnly, m.inputShape()).totalMacs(), split.fast());

        // Lateral connections: 7x1x1 convs from C to 2C channels at the slow frame rate (8 frames),
        // after the stem (56x56, C = 8) and res2, res3, res4 (56x56, 28x28, 14x14; C = 32, 64, 128).
        long lateral = 0;
        long[][] fusions = {{8, 56}, {32, 56}, {64, 28}, {128, 14}};
        for (long[] f : fusions) {
            lateral += 2 * f[0] * 8 * f[1] * f[1] * f[0] * 7;
        }
        assertEquals(lateral, split.lateral());
        assertEquals(2304L * 400, split.head());
        // The fast pathway costs about 1/6 of the slow one: far less than its 4x frames suggest.
        assertTrue(split.fastShare() > 0.10 && split.fastShare() < 0.20, "fast share " + split.fastShare());
    }

    @Test
    void slowFramesAreSpreadLikePackPathway() {
        // torch.linspace(0, 31, 8).long() = 0, 4.43, 8.86, 13.29, 17.71, 22.14, 26.57, 31 rounded down
        assertArrayEquals(new long[] {0, 4, 8, 13, 17, 22, 26, 31}, MultiPathwayNet.slowFrames(32, 4));
        assertArrayEquals(new long[] {0, 7}, MultiPathwayNet.slowFrames(8, 4));
        assertArrayEquals(new long[] {0}, MultiPathwayNet.slowFrames(4, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelRegistry.create("slowfast_r50", ModelConfig.builder().setNumClasses(5).optFrames(30).build()));
        assertTrue(e.getMessage().startsWith("slowfast_r50 cannot take a 3x30x224x224 clip:"), e.getMessage());
        assertTrue(e.getMessage().contains("multiple of alpha = 4"), e.getMessage());
    }

    @Test
    void parameterNamesAndShapesAreTheReferences() {
        VideoModel m = slowfast(400);
        try (NDManager manager = NDManager.newBaseManager()) {
            m.initialize(manager, DataType.FLOAT32, SMALL);
            Map<String, Shape> expected = PyTorchVideoReference.names("slowfast_r50");
            Map<String, Shape> actual = PyTorchVideoReference.shapes(m);
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
            assertEquals(expected, actual);
        }
    }

    @Test
    void logitsMatchThePyTorchMirror() {
        PyTorchVideoReference.assertLogitsMatch("slowfast_r50", slowfast(400));
    }

    @Test
    void timeToChannelLateralsWidenTheSlowPathway() {
        VideoModel m = SlowFast.builder().optLateral(SlowFast.Lateral.TIME_TO_CHANNEL)
                .build(ModelConfig.builder().setNumClasses(5).optFrames(8).optSize(32).build());
        MultiPathwayNet trunk = (MultiPathwayNet) m.features();
        // [slow, fast] after each stage: fast channels times alpha join the slow ones.
        Shape[] x = {new Shape(1, 3, 2, 32, 32), new Shape(1, 3, 8, 32, 32)};
        long[][] expected = {{64 + 8 * 4, 8}, {256 + 32 * 4, 32}, {512 + 64 * 4, 64}, {1024 + 128 * 4, 128}, {2048, 256}};
        for (int i = 0; i < trunk.stageCount(); i++) {
            x = trunk.stage(i).getOutputShapes(x);
            assertEquals(expected[i][0], x[0].get(1), "slow channels after stage " + i);
            assertEquals(expected[i][1], x[1].get(1), "fast channels after stage " + i);
            assertEquals(2, x[0].get(2));
            assertEquals(8, x[1].get(2));
        }
        // No parameters in the laterals; the slow res stages grow instead.
        assertTrue(m.layerTable().rows().stream().filter(r -> r.name().endsWith("multipathway_fusion"))
                .allMatch(r -> r.params() == 0 && r.macs() == 0));
        try (NDManager manager = NDManager.newBaseManager()) {
            m.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 8, 32, 32));
            ParameterStore store = new ParameterStore(manager, false);
            NDList features = m.forwardFeatures(store, new NDList(manager.randomNormal(new Shape(2, 3, 8, 32, 32))), false);
            assertEquals(new Shape(2, 2048, 2, 1, 1), features.get(0).getShape());
            assertEquals(new Shape(2, 256, 8, 1, 1), features.get(1).getShape());
            assertEquals(new Shape(2, 5), m.forwardHead(store, features, false).singletonOrThrow().getShape());
        }
    }

    @Test
    void alphaSetsTheSlowFrameRateAndTheLateralStride() {
        VideoModel m = SlowFast.builder().optAlpha(8).optName("slowfast_alpha8")
                .build(ModelConfig.builder().setNumClasses(5).optFrames(16).optSize(32).build());
        LayerTable t = m.layerTable();
        assertEquals("slowfast_alpha8", m.name());
        assertArrayEquals(new long[] {64, 2, 8, 8}, t.row("blocks.0.multipathway_blocks.0").shape());
        assertArrayEquals(new long[] {8, 16, 8, 8}, t.row("blocks.0.multipathway_blocks.1").shape());
        assertArrayEquals(new long[] {16, 2, 8, 8}, t.row("blocks.0.multipathway_fusion").shape());
        assertTrue(t.row("blocks.0.multipathway_fusion").op().contains("stride 8x1x1"), t.row("blocks.0.multipathway_fusion").op());
    }

    @Test
    void timeToChannelPutsEachGroupOfAlphaFramesIntoChannels() {
        dev.kinema.nn.LateralFusion fusion = dev.kinema.nn.LateralFusion.timeToChannel(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            // fast: 2 channels x 4 frames, value = 10 c + t; slow: 1 channel x 2 frames of -1
            float[] f = new float[8];
            for (int c = 0; c < 2; c++) {
                for (int t = 0; t < 4; t++) {
                    f[c * 4 + t] = 10 * c + t;
                }
            }
            NDArray fast = manager.create(f, new Shape(1, 2, 4, 1, 1));
            NDArray slow = manager.full(new Shape(1, 1, 2, 1, 1), -1f);
            fusion.initialize(manager, DataType.FLOAT32, slow.getShape(), fast.getShape());
            NDList out = fusion.forward(new ParameterStore(manager, false), new NDList(slow, fast), false);
            // slow channels: its own, then (c, k) = fast channel c at frame 2 t + k
            assertArrayEquals(new float[] {-1, -1, 0, 2, 1, 3, 10, 12, 11, 13}, out.get(0).toFloatArray());
            assertEquals(fast, out.get(1));
        }
    }
}

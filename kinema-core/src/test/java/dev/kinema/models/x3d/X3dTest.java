package dev.kinema.models.x3d;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.PyTorchVideoReference;
import dev.kinema.models.VideoModel;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

class X3dTest {
    @Test
    void stageDepthsAndWidthsAreRoundedAsPyTorchVideo() {
        // ceil(2.2 * (1, 2, 5, 3)): 2.2 -> 3, 4.4 -> 5, 11.0 -> 11, 6.6 -> 7
        assertArrayEquals(new int[] {3, 5, 11, 7}, X3d.stageDepths());
        assertArrayEquals(new long[] {24, 48, 96, 192}, X3d.stageWidths());
        VideoModel m = ModelRegistry.create("x3d_s", 400);
        long blocks = m.layerTable().rows().stream().filter(r -> r.name().contains(".res_blocks.")).count();
        assertEquals(3 + 5 + 11 + 7, blocks);
        assertTrue(m.layerTable().row("blocks.4.res_blocks.6").op().contains("SE"));
        assertTrue(!m.layerTable().row("blocks.4.res_blocks.5").op().contains("SE"));
    }

    @Test
    void parameterCountsAndMacsPerVariant() {
        // PyTorchVideo's zoo: 3.79 M parameters for all three (one network on three clip sizes).
        String[] names = {"x3d_xs", "x3d_s", "x3d_m"};
        Shape[] clips = {new Shape(3, 4, 160, 160), new Shape(3, 13, 160, 160), new Shape(3, 16, 224, 224)};
        // MACs of the convolutions and the linear layer; the X3D paper gives 0.60, 1.96 and 4.73 GFLOPs,
        // the PyTorchVideo zoo 0.91, 2.96 and 6.72 (fvcore, which also counts batch norm and element-wise ops).
        long[] macs = {605_256_512L, 1_962_892_112L, 4_732_468_736L};
        String[] rounded = {"0.61", "1.96", "4.73"};
        for (int i = 0; i < names.length; i++) {
            VideoModel m = ModelRegistry.create(names[i], 400);
            assertEquals(clips[i], m.inputShape(), names[i]);
            assertEquals(3_794_274L, m.parameterCount(), names[i]);
            assertEquals("3.79", String.format(Locale.ROOT, "%.2f", m.parameterCount() / 1e6), names[i]);
            assertEquals(macs[i], m.macs(), names[i]);
            assertEquals(rounded[i], String.format(Locale.ROOT, "%.2f", m.macs() / 1e9), names[i]);
        }
    }

    @Test
    void parameterNamesAndShapesAreTheReferences() {
        VideoModel m = ModelRegistry.create("x3d_xs", 400);
        try (NDManager manager = NDManager.newBaseManager()) {
            m.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 4, 32, 32));
            Map<String, Shape> expected = PyTorchVideoReference.names("x3d");
            Map<String, Shape> actual = PyTorchVideoReference.shapes(m);
            assertEquals(new ArrayList<>(expected.keySet()), new ArrayList<>(actual.keySet()));
            assertEquals(expected, actual);
            assertTrue(actual.containsKey("blocks.1.res_blocks.0.branch1_conv.weight"));
            assertTrue(!actual.containsKey("blocks.1.res_blocks.0.branch1_norm.weight"),
                    "the first block changes stride, not width: a projection without norm, as in PyTorchVideo");
        }
    }

    @Test
    void logitsMatchThePyTorchMirror() {
        PyTorchVideoReference.assertLogitsMatch("x3d", ModelRegistry.create("x3d_xs", 400));
    }
}

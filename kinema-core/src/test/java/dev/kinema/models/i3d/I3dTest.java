package dev.kinema.models.i3d;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.TinyModels;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.Profiler;
import dev.kinema.weights.ParameterNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** i3d and i3d-flow: the port's parameter names and shapes, a parameter count derived by hand, the paper's shapes. */
class I3dTest {
    /** A Unit3D: conv without bias, BatchNorm weight and bias. */
    private static long unit(long in, long out, long kernelVolume) {
        return in * out * kernelVolume + 2 * out;
    }

    /** An Inception block on {@code in} channels with widths b0, b1a, b1b, b2a, b2b, b3b. */
    private static long mixed(long in, long b0, long b1a, long b1b, long b2a, long b2b, long b3b) {
        return unit(in, b0, 1) + unit(in, b1a, 1) + unit(b1a, b1b, 27) + unit(in, b2a, 1) + unit(b2a, b2b, 27)
                + unit(in, b3b, 1);
    }

    private static long byHand(long channels, long classes) {
        long stem = unit(channels, 64, 7 * 7 * 7) + unit(64, 64, 1) + unit(64, 192, 27);
        long blocks = mixed(192, 64, 96, 128, 16, 32, 32)            // 3b: out 64 + 128 + 32 + 32 = 256
                + mixed(256, 128, 128, 192, 32, 96, 64)              // 3c: 480
                + mixed(480, 192, 96, 208, 16, 48, 64)               // 4b: 512
                + mixed(512, 160, 112, 224, 24, 64, 64)              // 4c: 512
                + mixed(512, 128, 128, 256, 24, 64, 64)              // 4d: 512
                + mixed(512, 112, 144, 288, 32, 64, 64)              // 4e: 528
                + mixed(528, 256, 160, 320, 32, 128, 128)            // 4f: 832
                + mixed(832, 256, 160, 320, 32, 128, 128)            // 5b: 832
                + mixed(832, 384, 192, 384, 48, 128, 128);           // 5c: 1024
        long logits = 1024 * classes + classes;
        return stem + blocks + logits;
    }

    @Test
    void parameterCountIsTheOneDerivedFromTheWidths() {
        assertEquals(12_697_264L, byHand(3, 400));
        assertEquals(12_675_312L, byHand(2, 400));
        assertEquals(byHand(3, 400), ModelRegistry.create("i3d", 400).parameterCount());
        assertEquals(byHand(2, 400), ModelRegistry.create("i3d-flow", 400).parameterCount());
        assertEquals(byHand(3, 101), ModelRegistry.create("i3d", 101).parameterCount());
    }

    private static List<String> golden(String file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = I3dTest.class.getResourceAsStream("/dev/kinema/models/" + file);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("#")) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static void hasThePortsNames(String model, String file) throws IOException {
        VideoModel m = TinyModels.smallest(model, null, 400);
        try (NDManager manager = NDManager.newBaseManager()) {
            m.initialize(manager);
            Map<String, String> ours = new TreeMap<>();
            for (Map.Entry<String, Parameter> e : ParameterNames.of(m).entrySet()) {
                ours.put(e.getKey(), Profiler.dims(e.getValue().getArray().getShape()));
            }
            List<String> lines = new ArrayList<>();
            ours.forEach((k, v) -> lines.add(k + " " + v));
            assertEquals(golden(file), lines);
        }
    }

    @Test
    void rgbHasThePortsStateDictNames() throws IOException {
        hasThePortsNames("i3d", "i3d_rgb_state_dict.txt");
    }

    @Test
    void flowHasThePortsStateDictNames() throws IOException {
        hasThePortsNames("i3d-flow", "i3d_flow_state_dict.txt");
    }

    @Test
    void defaultClipFollowsThePaper() {
        VideoModel model = ModelRegistry.create("i3d", 400);
        assertEquals(new Shape(3, 64, 224, 224), model.inputShape());
        LayerTable t = model.layerTable();
        assertEquals("64 x 32 x 112 x 112", t.row("Conv3d_1a_7x7").shapeText());
        assertEquals("64 x 32 x 56 x 56", t.row("MaxPool3d_2a_3x3").shapeText());   // 1x3x3: no pooling in time
        assertEquals("192 x 32 x 28 x 28", t.row("MaxPool3d_3a_3x3").shapeText());
        assertEquals("480 x 32 x 28 x 28", t.row("Mixed_3c").shapeText());
        assertEquals("480 x 16 x 14 x 14", t.row("MaxPool3d_4a_3x3").shapeText());
        assertEquals("832 x 8 x 7 x 7", t.row("MaxPool3d_5a_2x2").shapeText());
        assertEquals("1024 x 8 x 7 x 7", t.row("Mixed_5c").shapeText());
        assertEquals("1024 x 7 x 1 x 1", t.row("avg_pool").shapeText());             // 2x7x7, stride 1
        assertEquals("400 x 7 x 1 x 1", t.row("logits").shapeText());
        assertEquals("Inception(832->1024)", t.row("Mixed_5c").op());
        assertEquals("AvgPool3D(2x7x7, stride 1)", t.row("avg_pool").op());
        assertEquals(List.of(400L), List.of(t.outputShape()[0]));
        assertEquals("7 x 7 x 7", t.row("Conv3d_1a_7x7").receptiveFieldText());
        assertEquals("64 x 224 x 224", t.row("Mixed_5c").receptiveFieldText());
        assertEquals(64L * 3 * 64 * 343 * 32 * 112 * 112 / 64, t.row("Conv3d_1a_7x7").macs());
    }

    /** Named arrays of tools/golden/i3d_same_padding.py. */
    private static NDArray goldenArray(NDManager m, String name) throws IOException {
        try (InputStream in = I3dTest.class.getResourceAsStream("/dev/kinema/models/i3d_same_padding.txt");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split(" ");
                if (f[0].equals(name)) {
                    long[] shape = java.util.Arrays.stream(f[1].split("x")).mapToLong(Long::parseLong).toArray();
                    float[] v = new float[f.length - 2];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = Float.parseFloat(f[i + 2]);
                    }
                    return m.create(v, new Shape(shape));
                }
            }
        }
        throw new AssertionError("no " + name + " in i3d_same_padding.txt");
    }

    @Test
    void samePaddingMatchesThePortsOnOddSizes() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = goldenArray(m, "input");   // 1 x 2 x 5 x 6 x 7
            Block conv = I3d.sameConv(new ConvSpec(3, 2, 3, new Shape(3, 3, 3), new Shape(2, 2, 2), new Shape(1, 1, 1), false));
            conv.initialize(m, DataType.FLOAT32, x.getShape());
            conv.getParameters().valueAt(0).getArray().set(goldenArray(m, "weight").toFloatArray());
            checkAgainstGolden(m, store, conv, x, "conv");
            NDArray relu = x.maximum(0f);
            checkAgainstGolden(m, store, new I3d.SamePool(new Shape(1, 3, 3), new Shape(1, 2, 2)), relu, "pool_1x3x3");
            checkAgainstGolden(m, store, new I3d.SamePool(new Shape(2, 2, 2), new Shape(2, 2, 2)), relu, "pool_2x2x2");
        }
    }

    private static void checkAgainstGolden(NDManager m, ParameterStore store, Block block, NDArray x, String name)
            throws IOException {
        NDArray expected = goldenArray(m, name);
        NDArray got = block.forward(store, new NDList(x), false).singletonOrThrow();
        assertEquals(expected.getShape(), got.getShape(), name);
        assertTrue(got.allClose(expected, 1e-4, 1e-5, false), name + ": " + got + " vs " + expected);
        assertEquals(expected.getShape(), block.getOutputShapes(new Shape[] {x.getShape()})[0], name + " shape inference");
        long[] profiled = Profiler.profile(block, x.getShape().slice(1)).outputShape();
        assertEquals(expected.getShape().slice(1), new Shape(profiled), name + " profiler");
    }

    @Test
    void smallClipsGetAGlobalAveragePoolAndFlowTakesTwoChannels() {
        VideoModel small = ModelRegistry.create("i3d", TinyModels.config(null, 5, 5, 32));
        LayerTable t = small.layerTable();
        assertEquals("1024 x 1 x 1 x 1", t.row("Mixed_5c").shapeText());
        assertEquals("AvgPool3D(1x1x1)", t.row("avg_pool").op());
        VideoModel flow = ModelRegistry.create("i3d-flow", 400);
        assertEquals(new Shape(2, 64, 224, 224), flow.inputShape());
        assertEquals(2L * 64 * 343 + 128, flow.layerTable().row("Conv3d_1a_7x7").params());
        // i3d with a 2-channel config is the same network as i3d-flow.
        VideoModel rgbAsFlow = ModelRegistry.create("i3d", ModelConfig.builder().setNumClasses(400).optChannels(2).build());
        assertEquals(flow.parameterCount(), rgbAsFlow.parameterCount());
        assertEquals(flow.macs(), rgbAsFlow.macs());
    }
}

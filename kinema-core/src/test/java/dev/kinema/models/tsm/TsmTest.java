package dev.kinema.models.tsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.TinyModels;
import dev.kinema.models.VideoModel;
import dev.kinema.models.frame.Backbone;
import dev.kinema.nn.Elementwise;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.Residual;
import dev.kinema.nn.TemporalShift;
import dev.kinema.weights.ParameterNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * tsm_r18 and tsm_r50 against torchvision: parameter counts, the exact state_dict names and shapes
 * (golden files written by tools/golden/resnet2d_names.py), and, with the shift removed, the same
 * output as the 2D ResNet run on every frame.
 */
class TsmTest {
    private static ModelConfig config(int classes, int frames, int size) {
        return ModelConfig.builder().setNumClasses(classes).optFrames(frames).optSize(size).build();
    }

    /** "name shape" lines of a golden file, and the parameter total from its header. */
    private static List<String> golden(String file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (InputStream in = TsmTest.class.getResourceAsStream("/dev/kinema/models/" + file);
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static long goldenTotal(List<String> lines) {
        String header = lines.get(0);   // "# torchvision 0.14.1 resnet50: 25557032 trainable parameters"
        String[] words = header.split(" ");
        return Long.parseLong(words[words.length - 3]);
    }

    private static void hasTorchvisionsNamesAndShapes(String model, String file, long expectedTotal) throws IOException {
        List<String> lines = golden(file);
        assertEquals(expectedTotal, goldenTotal(lines), "golden file header");
        VideoModel m = ModelRegistry.create(model, config(1000, 2, 32));
        assertEquals(expectedTotal, m.parameterCount(), "layer table");
        try (NDManager manager = NDManager.newBaseManager()) {
            m.initialize(manager);
            assertEquals(expectedTotal, TinyModels.trainableParameters(m), "DJL's parameters");
            List<String> ours = new ArrayList<>();
            for (Map.Entry<String, Parameter> e : ParameterNames.of(m).entrySet()) {
                ours.add(e.getKey() + " " + Profiler.dims(e.getValue().getArray().getShape()));
            }
            assertEquals(lines.subList(1, lines.size()), ours);
        }
    }

    @Test
    void tsmR18IsResNet18ParameterForParameter() throws IOException {
        hasTorchvisionsNamesAndShapes("tsm_r18", "resnet18_state_dict.txt", 11_689_512L);
    }

    @Test
    void tsmR50IsResNet50ParameterForParameter() throws IOException {
        hasTorchvisionsNamesAndShapes("tsm_r50", "resnet50_state_dict.txt", 25_557_032L);
    }

    @Test
    void withoutTheShiftItIsTheImageNetworkOnEveryFrame() {
        ModelConfig c = config(5, 4, 32);
        VideoModel noShift = Tsm.create("tsn_r18", c, ResNet2d.RESNET18, false);
        VideoModel tsm = ModelRegistry.create("tsm_r18", c);
        VideoModel perFrame = ModelRegistry.create("single-frame", c.toBuilder().optBackbone("resnet18").build());
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            Shape input = new Shape(2, 3, 4, 32, 32);
            for (VideoModel model : List.of(noShift, tsm, perFrame)) {
                model.initialize(m, DataType.FLOAT32, input);
            }
            // The same weights everywhere: Backbone's resnet18 holds torchvision's parameters in the same order.
            List<Pair<String, Parameter>> from = perFrame.getParameters().stream().toList();
            for (VideoModel model : List.of(noShift, tsm)) {
                List<Pair<String, Parameter>> to = model.getParameters().stream().toList();
                assertEquals(from.size(), to.size());
                for (int i = 0; i < from.size(); i++) {
                    from.get(i).getValue().getArray().copyTo(to.get(i).getValue().getArray());
                }
            }
            ParameterStore store = new ParameterStore(m, false);
            NDArray clips = m.randomNormal(input);
            NDArray expected = perFrame.forwardFeatures(store, new NDList(clips), false).singletonOrThrow();
            NDArray got = noShift.forwardFeatures(store, new NDList(clips), false).singletonOrThrow();
            assertEquals(new Shape(2, 512, 4, 1, 1), got.getShape());
            assertTrue(got.allClose(expected, 1e-4, 1e-5, false), "features differ from the per-frame ResNet-18");
            // Averaging logits (single-frame while training) equals fc on averaged features.
            NDArray logits = perFrame.forward(store, new NDList(clips), true).singletonOrThrow();
            assertTrue(noShift.forward(store, new NDList(clips), true).singletonOrThrow().allClose(logits, 1e-4, 1e-5, false));
            // The shift does change the features (same weights).
            NDArray shifted = tsm.forwardFeatures(store, new NDList(clips), false).singletonOrThrow();
            assertFalse(shifted.allClose(expected, 1e-3, 1e-3, false), "the shift changed nothing");
        }
    }

    @Test
    void theShiftIsOnTheResidualBranchOnly() {
        // A block whose branch and activation are identities: out = shift(x) + x, so the shortcut
        // carries the unshifted frames (TSM's "residual shift").
        Residual block = Residual.builder("test").shift("shift", new TemporalShift(2))
                .branch("conv1", new Elementwise("id", x -> x)).activation("relu", new Elementwise("id", x -> x)).build();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.arange(16f).reshape(2, 8, 1, 1);   // frame 0: 0..7, frame 1: 8..15
            NDArray out = block.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
            float[] expected = {
                0 + 8, 1 + 0, 2 + 2, 3 + 3, 4 + 4, 5 + 5, 6 + 6, 7 + 7,           // channel 0 from frame 1, channel 1 zero
                8 + 0, 9 + 1, 10 + 10, 11 + 11, 12 + 12, 13 + 13, 14 + 14, 15 + 15 // channel 0 zero, channel 1 from frame 0
            };
            assertArrayEquals(expected, out.toFloatArray());
        }
    }

    @Test
    void layerTableShowsTheShiftAndTheSingleClassifier() {
        LayerTable tsm = ModelRegistry.create("tsm_r18", config(1000, 8, 224)).layerTable();
        LayerTable perFrame = ModelRegistry.create("single-frame",
                config(1000, 8, 224).toBuilder().optBackbone("resnet18").build()).layerTable();
        assertEquals("Shift+BasicBlock(64->64)", tsm.row("layer1.0").op());
        // Each shifted block widens the temporal receptive field by one frame on each side.
        assertEquals("3 x 27 x 27", tsm.row("layer1.0").receptiveFieldText());
        assertEquals("5 x 43 x 43", tsm.row("layer1.1").receptiveFieldText());
        assertEquals("8 x 224 x 224", tsm.row("layer4.1").receptiveFieldText());
        assertEquals("512 x 8 x 7 x 7", tsm.row("layer4.1").shapeText());
        // The shift is free; fc runs once on the averaged features instead of once per frame.
        assertEquals(perFrame.totalMacs() - 7L * 512 * 1000, tsm.totalMacs());
        assertEquals(perFrame.totalParams(), tsm.totalParams());
    }

    @Test
    void segmentsAreFixedAtConstruction() {
        VideoModel tsm = ModelRegistry.create("tsm_r18", config(3, 4, 32));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tsm.layerTable(new Shape(3, 8, 32, 32)));
        assertTrue(e.getMessage().contains("tsm_r18 was built for clips of 4 frames"), e.getMessage());
    }
}

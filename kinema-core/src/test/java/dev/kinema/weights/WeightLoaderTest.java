package dev.kinema.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightLoaderTest {
    @TempDir
    Path tmp;

    private static VideoModel tiny3d(int classes, NDManager manager) {
        VideoModel model = ModelRegistry.create("tiny-3d",
                ModelConfig.builder().setNumClasses(classes).optFrames(4).optSize(18).build());
        model.initialize(manager);
        return model;
    }

    private static float[] forward(VideoModel model, NDManager manager, FloatTensor input) {
        try (NDManager step = manager.newSubManager()) {
            NDArray x = step.create(input.data(), new Shape(input.shape()));
            return model.forward(new ParameterStore(step, false), new NDList(x), false).singletonOrThrow().toFloatArray();
        }
    }

    @Test
    void pytorchWeightsReproducePytorchLogits() throws IOException {
        FloatTensor input = Npy.read(Golden.file("tiny3d_input.npy"));
        FloatTensor expected = Npy.read(Golden.file("tiny3d_logits.npy"));
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tiny3d(5, manager);
            LoadReport report = WeightLoader.strict().load(model, Golden.file("tiny3d.safetensors"));
            assertTrue(report.isComplete(), report.details());
            assertEquals(model.getParameters().size(), report.loaded().size());
            assertEquals(List.of("conv1.norm.num_batches_tracked", "conv2.norm.num_batches_tracked"), report.ignored());
            float[] logits = forward(model, manager, input);
            assertEquals(expected.data().length, logits.length);
            for (int i = 0; i < logits.length; i++) {
                assertEquals(expected.data()[i], logits[i], 1e-4, "logit " + i);
            }
            // The running statistics were loaded too: eval mode depends on them.
            Parameter mean = ParameterNames.of(model).get("conv1.norm.running_mean");
            try (SafetensorsFile f = SafetensorsFile.open(Golden.file("tiny3d.safetensors"))) {
                assertArrayEquals(f.read("conv1.norm.running_mean").data(), mean.getArray().toFloatArray());
            }
        }
    }

    @Test
    void strictLoadingListsEveryMismatchByNameAndLoadsNothing() throws IOException {
        Map<String, FloatTensor> tensors = golden();
        tensors.remove("conv2.norm.running_var");
        tensors.put("extra.weight", new FloatTensor(new long[] {2}, new float[] {1, 2}));
        Path file = Safetensors.write(tmp.resolve("w.safetensors"), tensors, DType.F32, Map.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tiny3d(7, manager);
            float[] before = ParameterNames.of(model).get("conv1.conv.weight").getArray().toFloatArray();
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> WeightLoader.strict().load(model, file));
            String m = e.getMessage();
            assertTrue(m.startsWith(file.toString()), m);
            assertTrue(m.contains("conv2.norm.running_var"), m);
            assertTrue(m.contains("extra.weight"), m);
            assertTrue(m.contains("fc.weight: model 7x16, file 5x16"), m);
            assertTrue(m.contains("fc.bias: model 7, file 5"), m);
            assertTrue(m.contains("--lenient"), m);
            assertEquals(List.of("conv2.norm.running_var"), e.report().missing());
            assertArrayEquals(before, ParameterNames.of(model).get("conv1.conv.weight").getArray().toFloatArray());
        }
    }

    @Test
    void lenientLoadingLoadsWhatMatchesAndReportsTheRest() throws IOException {
        Map<String, FloatTensor> tensors = golden();
        tensors.remove("conv2.norm.running_var");
        Path file = Safetensors.write(tmp.resolve("w.safetensors"), tensors, DType.F32, Map.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tiny3d(7, manager);
            LoadReport r = WeightLoader.builder().optLenient(true).build().load(model, file);
            assertFalse(r.isComplete());
            assertEquals(List.of("conv2.norm.running_var"), r.missing());
            assertEquals(List.of("fc.weight", "fc.bias"), r.mismatched().stream().map(LoadReport.Mismatch::name).toList());
            assertEquals(model.getParameters().size() - 3, r.loaded().size());
            assertArrayEquals(tensors.get("conv2.conv.weight").data(),
                    ParameterNames.of(model).get("conv2.conv.weight").getArray().toFloatArray());
            assertTrue(r.summary().contains("1 missing") && r.summary().contains("2 mis-shaped"), r.summary());
        }
    }

    @Test
    void dataParallelPrefixAndMmaction2NamesMapOntoKinemaNames() throws IOException {
        Map<String, FloatTensor> prefixed = new LinkedHashMap<>();
        golden().forEach((k, v) -> prefixed.put("module." + k, v));
        Path file = Safetensors.write(tmp.resolve("dp.safetensors"), prefixed, DType.F32, Map.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            LoadReport r = WeightLoader.strict().load(tiny3d(5, manager), file);
            assertEquals(prefixed.size(), r.renamed());
            assertTrue(r.summary().contains("renamed by mapping torchvision"), r.summary());
        }
        NameMapping mm = NameMapping.named("MMAction2");
        assertEquals("stem.0.weight", mm.apply("backbone.conv1.conv.weight"));
        assertEquals("stem.1.running_var", mm.apply("module.backbone.conv1.bn.running_var"));
        assertEquals("layer2.0.conv1.0.weight", mm.apply("backbone.layer2.0.conv1.conv.weight"));
        assertEquals("layer2.0.conv2.1.bias", mm.apply("backbone.layer2.0.conv2.bn.bias"));
        assertEquals("layer3.0.downsample.0.weight", mm.apply("backbone.layer3.0.downsample.conv.weight"));
        assertEquals("layer3.0.downsample.1.weight", mm.apply("backbone.layer3.0.downsample.bn.weight"));
        assertEquals("fc.weight", mm.apply("cls_head.fc_cls.weight"));
        assertEquals("blocks.5.proj.weight", NameMapping.PYTORCHVIDEO.apply("model.blocks.5.proj.weight"));
        assertEquals("model.blocks.5.proj.weight", NameMapping.TORCHVISION.apply("model.blocks.5.proj.weight"));
        assertThrows(IllegalArgumentException.class, () -> NameMapping.named("timm"));
    }

    @Test
    void anUnmappedCheckpointPointsAtTheMapping() throws IOException {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        golden().forEach((k, v) -> tensors.put("backbone." + k, v));
        Path file = Safetensors.write(tmp.resolve("mm.safetensors"), tensors, DType.F32, Map.of());
        try (NDManager manager = NDManager.newBaseManager()) {
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> WeightLoader.strict().load(tiny3d(5, manager), file));
            assertTrue(e.getMessage().contains("--mapping mmaction2"), e.getMessage());
        }
    }

    @Test
    void classesAreReadFromTheClassifierAndExportRoundTripsExactly() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                SafetensorsFile f = SafetensorsFile.open(Golden.file("tiny3d.safetensors"))) {
            VideoModel probe = ModelRegistry.create("tiny-3d", 400);
            assertEquals("fc", WeightLoader.classifierName(probe).orElseThrow());
            assertEquals(OptionalInt.of(5), WeightLoader.classesIn(probe, f, NameMapping.TORCHVISION));

            VideoModel model = tiny3d(5, manager);
            WeightLoader.strict().load(model, f);
            Path exported = ModelWeights.save(model, tmp.resolve("kinema.safetensors"), DType.F32);
            VideoModel again = tiny3d(5, manager);
            WeightLoader.strict().load(again, exported);
            Map<String, Parameter> a = ParameterNames.of(model);
            ParameterNames.of(again).forEach((name, p) ->
                    assertArrayEquals(a.get(name).getArray().toFloatArray(), p.getArray().toFloatArray(), name));
        }
    }

    @Test
    void loadingLeavesNoArraysBehind() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tiny3d(5, manager);
            int before = ((BaseNDManager) manager).getManagedArrays().size();
            for (int i = 0; i < 3; i++) {
                WeightLoader.strict().load(model, Golden.file("tiny3d.safetensors"));
            }
            assertEquals(before, ((BaseNDManager) manager).getManagedArrays().size());
        }
    }

    @Test
    void parametersThatTrainLoadInPlaceAndStillTrain() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tiny3d(5, manager);
            ParameterNames.of(model).values().forEach(p -> {
                if (p.requiresGradient()) {
                    p.getArray().setRequiresGradient(true);
                }
            });
            WeightLoader.strict().load(model, Golden.file("tiny3d.safetensors"));
            NDArray weight = ParameterNames.of(model).get("fc.weight").getArray();
            assertTrue(weight.hasGradient());
            try (SafetensorsFile f = SafetensorsFile.open(Golden.file("tiny3d.safetensors"))) {
                assertArrayEquals(f.read("fc.weight").data(), weight.toFloatArray());
            }
        }
    }

    @Test
    void valuesAreConvertedToTheParametersOwnDtype() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = ModelRegistry.create("tiny-3d",
                    ModelConfig.builder().setNumClasses(5).optFrames(4).optSize(18).build());
            model.initialize(manager, DataType.FLOAT16, new Shape(1, 3, 4, 18, 18));
            WeightLoader.strict().load(model, Golden.file("tiny3d.safetensors"));
            NDArray weight = ParameterNames.of(model).get("conv1.conv.weight").getArray();
            assertEquals(DataType.FLOAT16, weight.getDataType());
            try (SafetensorsFile f = SafetensorsFile.open(Golden.file("tiny3d.safetensors"));
                    NDArray asFloat = weight.toType(DataType.FLOAT32, true)) {
                float[] expected = f.read("conv1.conv.weight").data();
                float[] actual = asFloat.toFloatArray();
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(HalfFloats.halfToFloat(HalfFloats.floatToHalf(expected[i])), actual[i], 0f, "element " + i);
                }
            }
        }
    }

    @Test
    void anUninitialisedModelIsRefused() {
        VideoModel model = ModelRegistry.create("tiny-3d", 5);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> WeightLoader.strict().load(model, Golden.file("tiny3d.safetensors")));
        assertTrue(e.getMessage().contains("initialise"), e.getMessage());
    }

    private static Map<String, FloatTensor> golden() throws IOException {
        Map<String, FloatTensor> out = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(Golden.file("tiny3d.safetensors"))) {
            for (String name : f.names()) {
                if (!name.endsWith("num_batches_tracked")) {
                    out.put(name, f.read(name));
                }
            }
        }
        return out;
    }
}

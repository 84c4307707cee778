package dev.kinema.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.kinema.io.FloatTensor;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TSM checkpoints' names onto tsm_r18 / tsm_r50: the name lists (with shapes) are what the TSM
 * authors' code and MMAction2 save, rebuilt by tools/golden/tsm_checkpoint_names.py from the
 * libraries' module trees, so the expectations do not come from Kinema's own names.
 */
class NameMappingTest {
    private static final int KINETICS = 400;

    @TempDir
    Path tmp;

    /** name → shape, in the file's order; a scalar (num_batches_tracked) has no dimensions. */
    private static Map<String, long[]> checkpoint(String file) throws IOException {
        try (InputStream in = NameMappingTest.class.getResourceAsStream("/golden/checkpoint-names/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource golden/checkpoint-names/" + file);
            }
            Map<String, long[]> names = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ", -1);
                long[] shape = parts[1].isEmpty() ? new long[0]
                        : Arrays.stream(parts[1].split("x")).mapToLong(Long::parseLong).toArray();
                names.put(parts[0], shape);
            }
            return names;
        }
    }

    private static VideoModel tsm(String name) {
        return ModelRegistry.create(name, ModelConfig.builder().setNumClasses(KINETICS).optFrames(2).optSize(32).build());
    }

    /** The checkpoint's names under {@code mapping}, counters dropped, with their shapes, sorted. */
    private static Map<String, String> mapped(Map<String, long[]> checkpoint, NameMapping mapping) {
        Map<String, String> m = new TreeMap<>();
        checkpoint.forEach((name, shape) -> {
            if (!name.endsWith("num_batches_tracked")) {
                String previous = m.put(mapping.apply(name), FloatTensor.dims(shape));
                assertEquals(null, previous, "two names map to " + mapping.apply(name));
            }
        });
        return m;
    }

    private static Map<String, String> parameters(VideoModel model, NDManager manager) {
        model.initialize(manager);
        Map<String, String> m = new TreeMap<>();
        ParameterNames.of(model).forEach((name, p) -> m.put(name, FloatTensor.dims(p.getArray().getShape().getShape())));
        return m;
    }

    /** A safetensors file with the checkpoint's names and shapes, each tensor filled with its index. */
    private Path synthetic(Map<String, long[]> checkpoint) throws IOException {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        int index = 0;
        for (Map.Entry<String, long[]> e : checkpoint.entrySet()) {
            float[] data = new float[Math.toIntExact(FloatTensor.elements(e.getValue()))];
            Arrays.fill(data, index++);
            tensors.put(e.getKey(), new FloatTensor(e.getValue(), data));
        }
        return Safetensors.write(tmp.resolve("checkpoint.safetensors"), tensors, DType.F16, Map.of());
    }

    private void strictLoad(String file, NameMapping mapping) throws IOException {
        Map<String, long[]> checkpoint = checkpoint(file);
        Path weights = synthetic(checkpoint);
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tsm("tsm_r18");
            model.initialize(manager);
            LoadReport r = WeightLoader.builder().optMapping(mapping).build().load(model, weights);
            assertTrue(r.isComplete(), r.details());
            assertEquals(ParameterNames.of(model).size(), r.loaded().size());
            assertEquals(checkpoint.size() - r.loaded().size(), r.ignored().size(), "only num_batches_tracked is left");
            // The values went where the names say: the first conv of the first block is entry 6.
            Parameter conv = ParameterNames.of(model).get("layer1.0.conv1.weight");
            String source = checkpoint.keySet().stream().filter(n -> mapping.apply(n).equals("layer1.0.conv1.weight"))
                    .findFirst().orElseThrow();
            float expected = checkpoint.keySet().stream().toList().indexOf(source);
            float[] values = conv.getArray().toFloatArray();
            assertEquals(expected, values[0]);
            assertEquals(expected, values[values.length - 1]);
        }
    }

    @Test
    void tsmAuthorsCheckpointLoadsStrictlyIntoTsmR18() throws IOException {
        strictLoad("tsm_r18_mit_han_lab_blockres.txt", NameMapping.named("tsm"));
    }

    @Test
    void mmaction2TsmCheckpointLoadsStrictlyIntoTsmR18() throws IOException {
        strictLoad("tsm_r18_mmaction2.txt", NameMapping.named("mmaction2-2d"));
    }

    @Test
    void tsmR50CheckpointsMapOntoExactlyTheModelsNamesAndShapes() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, String> model = parameters(tsm("tsm_r50"), manager);
            assertEquals(model, mapped(checkpoint("tsm_r50_mit_han_lab_blockres.txt"), NameMapping.TSM));
            assertEquals(model, mapped(checkpoint("tsm_r50_mit_han_lab_block.txt"), NameMapping.TSM));
            assertEquals(model, mapped(checkpoint("tsm_r50_mmaction2.txt"), NameMapping.MMACTION2_2D));
        }
    }

    @Test
    void anUnmappedTsmCheckpointPointsAtTheTsmMapping() throws IOException {
        Map<String, long[]> checkpoint = new LinkedHashMap<>();
        checkpoint("tsm_r18_mit_han_lab_blockres.txt")
                .forEach((name, shape) -> checkpoint.put(name.substring("module.".length()), shape));
        Path weights = synthetic(checkpoint);
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = tsm("tsm_r18");
            model.initialize(manager);
            WeightMismatchException e = assertThrows(WeightMismatchException.class,
                    () -> WeightLoader.strict().load(model, weights));
            assertTrue(e.getMessage().contains("--mapping tsm"), e.getMessage());
        }
    }

    @Test
    void singleNamesOfEachLayout() {
        NameMapping tsm = NameMapping.TSM;
        assertEquals("conv1.weight", tsm.apply("module.base_model.conv1.weight"));
        assertEquals("layer3.1.conv1.weight", tsm.apply("module.base_model.layer3.1.conv1.net.weight"));
        assertEquals("layer3.1.conv2.weight", tsm.apply("module.base_model.layer3.1.net.conv2.weight"));
        assertEquals("layer2.0.downsample.1.running_var", tsm.apply("module.base_model.layer2.0.downsample.1.running_var"));
        assertEquals("fc.bias", tsm.apply("module.new_fc.bias"));
        assertEquals("fc.weight", tsm.apply("base_model.fc.weight"));   // trained with dropout 0: no new_fc

        NameMapping mm = NameMapping.MMACTION2_2D;
        assertEquals("conv1.weight", mm.apply("backbone.conv1.conv.weight"));
        assertEquals("bn1.running_mean", mm.apply("backbone.conv1.bn.running_mean"));
        assertEquals("layer1.0.conv1.weight", mm.apply("backbone.layer1.0.conv1.conv.net.weight"));
        assertEquals("layer1.0.conv1.weight", mm.apply("backbone.layer1.0.net.conv1.conv.weight"));   // shift_place block
        assertEquals("layer4.2.bn3.bias", mm.apply("backbone.layer4.2.conv3.bn.bias"));
        assertEquals("layer2.0.downsample.0.weight", mm.apply("backbone.layer2.0.downsample.conv.weight"));
        assertEquals("layer2.0.downsample.1.weight", mm.apply("backbone.layer2.0.downsample.bn.weight"));
        assertEquals("fc.weight", mm.apply("cls_head.fc_cls.weight"));
        // The 3D mapping still gives torchvision's VideoResNet names for the same MMAction2 spelling.
        assertEquals("layer1.0.conv1.0.weight", NameMapping.MMACTION2.apply("backbone.layer1.0.conv1.conv.weight"));
        assertArrayEquals(new String[] {"torchvision", "pytorchvideo", "mmaction2", "mmaction2-2d", "tsm"},
                NameMapping.all().stream().map(NameMapping::name).toArray());
    }
}

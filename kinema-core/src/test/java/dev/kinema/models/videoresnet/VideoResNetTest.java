package dev.kinema.models.videoresnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.LayerTable;
import dev.kinema.weights.ParameterNames;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The video ResNets against torchvision's numbers: parameters, names, cost, shapes, receptive fields. */
class VideoResNetTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"r3d_18, 33371472", "mc3_18, 11695440", "r2plus1d_18, 31505325", "r2plus1d_34, 61831661"})
    void hasTorchvisionsParameterCount(String name, long params) {
        VideoModel model = ModelRegistry.create(name, 400);
        assertEquals(new Shape(3, 16, 112, 112), model.inputShape());
        assertEquals(params, model.parameterCount());
    }

    /** torchvision's published GFLOPS (multiply-adds of convolutions and the classifier) at 3x16x112x112. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"r3d_18, 40.70", "mc3_18, 43.34", "r2plus1d_18, 40.52"})
    void hasTorchvisionsPublishedCost(String name, String gflops) {
        assertEquals(gflops, String.format("%.2f", ModelRegistry.create(name, 400).macs() / 1e9));
    }

    @Test
    void r2plus1d34HasTorchvisionsNamesAndShapes() throws IOException {
        JsonNode golden;
        try (InputStream in = getClass().getResourceAsStream("/golden/videoresnet/r2plus1d_34.json")) {
            golden = new ObjectMapper().readTree(in);
        }
        VideoModel model = ModelRegistry.create("r2plus1d_34", ModelConfig.builder().setNumClasses(400).optFrames(2)
                .optSize(16).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 2, 16, 16));
            Map<String, String> kinema = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : ParameterNames.of(model).entrySet()) {
                kinema.put(e.getKey(), e.getValue().getArray().getShape().toString());
            }
            Map<String, String> torchvision = new LinkedHashMap<>();
            for (JsonNode e : golden.get("stateDict")) {
                long[] dims = new long[e.get(1).size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = e.get(1).get(i).asLong();
                }
                torchvision.put(e.get(0).asText(), new Shape(dims).toString());
            }
            // Same names, same shapes, in the same order as torchvision's state_dict.
            assertEquals(String.join("\n", torchvision.keySet()), String.join("\n", kinema.keySet()));
            assertEquals(torchvision, kinema);
            assertEquals(golden.get("parameterCount").asLong(), model.parameterCount());
        }
    }

    @Test
    void midplanesKeepTheParameterCountOfThe3dConvolution() {
        assertEquals(144, VideoResNet.midplanes(64, 64));
        assertEquals(230, VideoResNet.midplanes(64, 128));
        assertEquals(288, VideoResNet.midplanes(128, 128));
        assertEquals(1152, VideoResNet.midplanes(512, 512));
        for (long c : new long[] {64, 128, 256, 512}) {
            long m = VideoResNet.midplanes(c, c);
            long factored = c * m * 9 + m * c * 3;
            long full = c * c * 27;
            assertTrue(factored <= full && full - factored < 12 * c, c + ": " + factored + " vs " + full);
        }
    }

    @Test
    void shapesAndReceptiveFieldsFollowEachConvMaker() {
        LayerTable r3d = ModelRegistry.create("r3d_18", 400).layerTable();
        LayerTable mc3 = ModelRegistry.create("mc3_18", 400).layerTable();
        LayerTable r21d = ModelRegistry.create("r2plus1d_18", 400).layerTable();
        // 3D stages halve T with H and W; mc3's 2D stages keep T and its receptive field in time.
        assertEquals("512 x 2 x 7 x 7", r3d.row("layer4.1").shapeText());
        assertEquals("512 x 16 x 7 x 7", mc3.row("layer4.1").shapeText());
        assertEquals("512 x 2 x 7 x 7", r21d.row("layer4.1").shapeText());
        // Stem 3x7x7; each 3x3x3 conv at jump 1 in T and 2 in H, W adds 2 and 4.
        assertEquals("3 x 7 x 7", r3d.row("stem").receptiveFieldText());
        assertEquals("7 x 15 x 15", r3d.row("layer1.0").receptiveFieldText());
        assertEquals("11 x 23 x 23", r3d.row("layer1.1").receptiveFieldText());
        assertEquals("11 x 23 x 23", mc3.row("layer1.1").receptiveFieldText());
        assertEquals(11, mc3.row("layer4.1").receptiveField()[0]);
        assertTrue(r3d.row("layer4.1").receptiveField()[0] == 16, "r3d_18 sees the whole clip in time");
        // (2+1)D: 1x7x7 then 3x1x1 is the same 3x7x7 field; a (2+1)D pair grows it like a 3x3x3 conv.
        assertEquals("3 x 7 x 7", r21d.row("stem").receptiveFieldText());
        assertEquals("7 x 15 x 15", r21d.row("layer1.0").receptiveFieldText());
        assertEquals("BasicBlock(64->128, stride 2, 2plus1d)", r21d.row("layer2.0").op());
        assertEquals(64 * 128 * 27 + 2 * 128 + 128 * 128 * 27 + 2 * 128 + 64 * 128 + 2 * 128, r3d.row("layer2.0").params());
    }
}

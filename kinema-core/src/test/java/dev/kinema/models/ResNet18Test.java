package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The ResNet-18 backbone against torchvision's published numbers for resnet18 on ImageNet. */
class ResNet18Test {
    /** A single-frame model on one 224×224 frame is exactly the image classifier. */
    private static VideoModel imageClassifier() {
        return ModelRegistry.create("single-frame", ModelConfig.builder().setNumClasses(1000).optBackbone("resnet18")
                .optFrames(1).optSize(224).build());
    }

    @Test
    void hasTorchvisionsParameterCount() {
        VideoModel model = imageClassifier();
        assertEquals(11_689_512L, model.parameterCount());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 1, 224, 224));
            assertEquals(11_689_512L, TinyModels.trainableParameters(model));
        }
    }

    @Test
    void hasTorchvisionsCostAndShapes() {
        LayerTable t = imageClassifier().layerTable();
        // torchvision lists resnet18 at 1.81 GFLOPS (multiply-adds) for 224x224.
        assertEquals("1.81", String.format("%.2f", t.totalMacs() / 1e9));
        assertEquals(List.of("stem", "pool", "layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1",
                "layer4.0", "layer4.1", "frames.pool", "frames.fc", "consensus"), t.rows().stream().map(LayerRow::name).toList());
        assertEquals("64 x 1 x 112 x 112", t.row("stem").shapeText());
        assertEquals("64 x 1 x 56 x 56", t.row("pool").shapeText());
        assertEquals("512 x 1 x 7 x 7", t.row("layer4.1").shapeText());
        // stem: 7x7 kernel; 3x3/2 pool: 7 + 2*2 = 11; a 3x3 conv at jump 4 adds 8 twice: 27.
        assertEquals("1 x 7 x 7", t.row("stem").receptiveFieldText());
        assertEquals("1 x 11 x 11", t.row("pool").receptiveFieldText());
        assertEquals("1 x 27 x 27", t.row("layer1.0").receptiveFieldText());
        // 3*64*7*7 + 2*64 for the stem; a first block of a stage has the 1x1 projection.
        assertEquals(3 * 64 * 49 + 128, t.row("stem").params());
        assertEquals(64 * 128 * 9 + 256 + 128 * 128 * 9 + 256 + 64 * 128 + 256, t.row("layer2.0").params());
    }
}

package dev.kinema.models.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.loader.Modality;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audio family in the registry: its inputs, layer tables and a forward pass (ModelRegistryTest and ModelApiTest cover the rest). */
class AudioModelsTest {
    @Test
    void audioModelsTakeTheLogMelPlaneAndFusionModelsBoth() {
        assertEquals(Modality.AUDIO, ModelCards.modalityOf("audio-cnn"));
        assertEquals(Modality.AUDIO, ModelCards.modalityOf("audio-resnet18"));
        assertEquals(Modality.RGB_AUDIO, ModelCards.modalityOf("av-late"));
        assertEquals(Modality.RGB_AUDIO, ModelCards.modalityOf("av-mid"));
        assertEquals(Modality.RGB_AUDIO, ModelCards.modalityOf("av-mid-gated"));
        assertEquals(Modality.RGB, ModelCards.modalityOf("av-visual"));
        for (String name : List.of("audio-cnn", "audio-resnet18", "av-visual", "av-late", "av-mid", "av-mid-gated")) {
            VideoModel model = ModelRegistry.create(name, ModelConfig.builder().setNumClasses(5).build());
            assertTrue(model.layerTable().rows().size() > 3, name);
            assertTrue(model.parameterCount() > 0 && model.macs() > 0, name);
            try (NDManager m = NDManager.newBaseManager()) {
                Shape in = new Shape(2).addAll(model.inputShape());
                model.initialize(m, DataType.FLOAT32, in);
                NDArray clips = m.randomNormal(in);
                NDArray logits = model.forward(new ParameterStore(m, false), new NDList(clips), false).singletonOrThrow();
                assertEquals(new Shape(2, 5), logits.getShape(), name);
            }
        }
        // The plane reads back as 64 mels x 128 frames: the layer table's first 2D conv says so.
        String table = ModelRegistry.create("audio-cnn", ModelConfig.builder().setNumClasses(5).build()).layerTable().toString();
        assertTrue(table.contains("64") && table.contains("128"), table);
    }

    @Test
    void theGateAddsOneLinearLayerFromAudioToVisualFeatures() {
        // By hand, 5 classes. Visual 3D CNN (3x3x3 convs without bias, BN's weight and bias):
        // 3*16*27 + 32, 16*32*27 + 64, 32*64*27 + 128.
        long visual = (1296 + 32) + (13_824 + 64) + (55_296 + 128);
        // audio-cnn's body (3x3 convs without bias, BN): 1*16*9 + 32, 16*32*9 + 64, 32*64*9 + 128, 64*128*9 + 256.
        long audio = (144 + 32) + (4_608 + 64) + (18_432 + 128) + (73_728 + 256);
        long classifier = (64 + 128) * 5 + 5;
        long gate = 128 * 64 + 64;
        ModelConfig config = ModelConfig.builder().setNumClasses(5).build();
        assertEquals(visual + 64 * 5 + 5, ModelRegistry.create("av-visual", config).parameterCount());
        assertEquals(visual + audio + classifier, ModelRegistry.create("av-mid", config).parameterCount());
        assertEquals(visual + audio + classifier + gate, ModelRegistry.create("av-mid-gated", config).parameterCount());
        assertEquals(177_253, visual + audio + classifier + gate);
    }
}

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
        for (String name : List.of("audio-cnn", "audio-resnet18", "av-late", "av-mid")) {
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
}

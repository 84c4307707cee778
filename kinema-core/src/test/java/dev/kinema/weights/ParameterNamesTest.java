package dev.kinema.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParameterNamesTest {
    @Test
    void namesArePathsInTorchSpellingWithoutTheModelsRootBlocks() {
        VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(5).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager);
            Map<String, Parameter> names = ParameterNames.of(model);
            assertEquals(model.getParameters().size(), names.size());
            assertTrue(names.keySet().stream().anyMatch(n -> n.endsWith(".running_mean")), names.keySet().toString());
            assertTrue(names.keySet().stream().noneMatch(n -> n.startsWith("features.") || n.startsWith("head.")
                    || n.matches(".*(^|\\.)[0-9]{2}[a-z].*")), names.keySet().toString());
        }
    }

    @Test
    void copyMovesEveryTensorByNameOrNothingWhenTheModelsDiffer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel trained = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(5).build());
            VideoModel fresh = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(5).build());
            VideoModel otherHead = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(4).build());
            trained.initialize(manager);
            fresh.initialize(manager);
            otherHead.initialize(manager);
            Map<String, Parameter> from = ParameterNames.of(trained);
            from.values().forEach(p -> p.getArray().addi(1));   // unlike any fresh initialisation
            float[] before = ParameterNames.of(otherHead).get("fc.weight").getArray().toFloatArray();

            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ParameterNames.copy(trained, otherHead, "runs/a"));
            assertTrue(e.getMessage().startsWith("runs/a: its model does not fit") && e.getMessage().contains("fc.weight is"),
                    e.getMessage());
            assertArrayEquals(before, ParameterNames.of(otherHead).get("fc.weight").getArray().toFloatArray(), "nothing copied");

            assertEquals(from.size(), ParameterNames.copy(trained, fresh, "runs/a"));
            ParameterNames.of(fresh).forEach((n, p) -> assertArrayEquals(from.get(n).getArray().toFloatArray(),
                    p.getArray().toFloatArray(), n));
        }
    }

    @Test
    void blocksAreNamedByTheSamePathsAsTheirParameters() {
        VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.builder().setNumClasses(5).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager);
            Map<String, ai.djl.nn.Block> blocks = ParameterNames.blocks(model);
            assertTrue(blocks.get("") == model);
            assertTrue(blocks.get("fc") instanceof ai.djl.nn.core.Linear, blocks.keySet().toString());
            for (String name : ParameterNames.of(model).keySet()) {
                String owner = name.substring(0, name.lastIndexOf('.'));
                assertTrue(blocks.containsKey(owner), name + " has no block " + owner + " in " + blocks.keySet());
            }
        }
    }

    @Test
    void childIndexIsStrippedOnlyWhenPresent() {
        assertEquals("layer1", ParameterNames.childName("01layer1"));
        assertEquals("0", ParameterNames.childName("010"));
        assertEquals("fc", ParameterNames.childName("fc"));
        assertEquals("running_var", ParameterNames.torchSpelling("runningVar"));
        assertEquals("weight", ParameterNames.torchSpelling("weight"));
    }
}

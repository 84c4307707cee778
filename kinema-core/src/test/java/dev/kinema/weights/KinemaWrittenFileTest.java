package dev.kinema.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDManager;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The other direction: the committed {@code kinema_tiny3d.safetensors} is what Kinema writes for
 * the golden tiny-3d, byte for byte, and {@code tools/golden/weights_e2e.py --check} loads that
 * file into PyTorch and reproduces the golden logits with it. Regenerate it (after a deliberate
 * format change) with {@code -Dkinema.golden.regenerate=DIR}, DIR being the resource folder.
 */
class KinemaWrittenFileTest {
    @TempDir
    Path tmp;

    @Test
    void kinemaWritesTheCommittedFileByteForByte() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            VideoModel model = ModelRegistry.create("tiny-3d",
                    ModelConfig.builder().setNumClasses(5).optFrames(4).optSize(18).build());
            model.initialize(manager);
            WeightLoader.strict().load(model, Golden.file("tiny3d.safetensors"));
            String regenerate = System.getProperty("kinema.golden.regenerate");
            Path target = regenerate != null ? Path.of(regenerate).resolve("kinema_tiny3d.safetensors")
                    : tmp.resolve("kinema_tiny3d.safetensors");
            ModelWeights.save(model, target, DType.F32);
            assertArrayEquals(Files.readAllBytes(Golden.file("kinema_tiny3d.safetensors")), Files.readAllBytes(target));
        }
    }
}

package dev.kinema.models.videomae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.weights.DType;
import dev.kinema.weights.ModelWeights;
import dev.kinema.weights.ParameterNames;
import dev.kinema.weights.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fine-tuning starts from a pretraining run's encoder, checked by name; the head is new. */
class VideoMaeInitTest {
    private static final Shape CLIPS = new Shape(1, 3, 4, 32, 32);

    @TempDir
    Path dir;

    private static VideoModel classifier(NDManager m) {
        VideoModel model = ModelRegistry.create("videomae-small", ModelConfig.builder().setNumClasses(3).optFrames(4)
                .optSize(32).build());
        model.initialize(m, DataType.FLOAT32, CLIPS);
        return model;
    }

    @Test
    void thePretrainedEncoderLoadsIntoTheClassifierAndOnlyTheHeadIsNew() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            VideoMaePretraining net = VideoMaes.pretraining("videomae-small", 3, 0.75);
            net.initialize(m, DataType.FLOAT32, CLIPS);
            Path file = ModelWeights.save(net.encoder(), dir.resolve("encoder.safetensors"), DType.F32);
            VideoModel model = classifier(m);
            float[] head = ParameterNames.of(model).get("head.weight").getArray().toFloatArray();
            int loaded = VideoMaes.initFromEncoder(model, file);
            Map<String, Parameter> pretrained = ParameterNames.of(net.encoder());
            Map<String, Parameter> fine = ParameterNames.of(model);
            assertEquals(pretrained.size() - 2, loaded, "everything but the final norm, which mean pooling drops");
            for (String name : new String[] {"patch_embed.proj.weight", "blocks.0.attn.q_bias", "blocks.3.mlp.fc2.weight"}) {
                assertArrayEquals(pretrained.get(name).getArray().toFloatArray(), fine.get(name).getArray().toFloatArray(),
                        name);
            }
            assertArrayEquals(head, fine.get("head.weight").getArray().toFloatArray(), "the head is left as it was");
        }
    }

    @Test
    void anEncoderOfAnotherModelOrAnotherFamilyIsRefusedByName() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            VideoModel model = classifier(m);
            Path file = dir.resolve("partial.safetensors");
            Map<String, dev.kinema.io.FloatTensor> tensors = new LinkedHashMap<>();
            Parameter p = ParameterNames.of(model).get("patch_embed.proj.weight");
            tensors.put("patch_embed.proj.weight", new dev.kinema.io.FloatTensor(p.getArray().getShape().getShape(),
                    p.getArray().toFloatArray()));
            tensors.put("decoder.head.weight", new dev.kinema.io.FloatTensor(new long[] {2}, new float[2]));
            Safetensors.write(file, tensors, DType.F32, Map.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> VideoMaes.initFromEncoder(model, file));
            assertTrue(e.getMessage().startsWith(file.toString()) && e.getMessage().contains("blocks.0.norm1.weight")
                    && e.getMessage().contains("decoder.head.weight"), e.getMessage());
            VideoModel other = ModelRegistry.create("tiny-3d", 3);
            IllegalArgumentException notMae = assertThrows(IllegalArgumentException.class,
                    () -> VideoMaes.initFromEncoder(other, file));
            assertTrue(notMae.getMessage().contains("tiny-3d is not one"), notMae.getMessage());
        }
    }
}

package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.weights.DeterministicFill;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oracle test against torchvision (tinygrad-style): torchvision's model and Kinema's, both filled
 * with {@link DeterministicFill}'s weights through the state_dict names, give the same eval-mode
 * logits on the same clip. The expected logits and torchvision's state_dict names and shapes were
 * written by {@code tools/golden/videoresnet.py}; no Python is needed here.
 */
class VideoResNetParityTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"r3d_18", "mc3_18", "r2plus1d_18"})
    void matchesTorchvisionLogitsWithTheSameDeterministicWeights(String name) throws IOException {
        JsonNode golden = golden(name);
        Shape input = shape(golden.get("input").get("shape"));
        VideoModel model = ModelRegistry.create(name, ModelConfig.builder()
                .setNumClasses(golden.get("numClasses").asInt())
                .optFrames((int) input.get(2)).optSize((int) input.get(3)).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, input);
            Map<String, Parameter> filled = DeterministicFill.fill(model);

            Map<String, Shape> kinema = new TreeMap<>();
            filled.forEach((k, p) -> kinema.put(k, p.getArray().getShape()));
            Map<String, Shape> torchvision = new TreeMap<>();
            golden.get("stateDict").forEach(e -> torchvision.put(e.get(0).asText(), shape(e.get(1))));
            assertEquals(torchvision, kinema, "parameter names and shapes must be torchvision's state_dict");
            assertEquals(golden.get("parameterCount").asLong(), model.parameterCount());

            NDArray clip = DeterministicFill.input(manager, golden.get("input").get("name").asText(), input);
            NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(clip), false)
                    .singletonOrThrow();
            assertEquals(shape(golden.get("logitsShape")), logits.getShape());
            float[] actual = logits.toFloatArray();
            JsonNode expected = golden.get("logits");
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < actual.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected.get(i).asDouble()));
                maxAbs = Math.max(maxAbs, Math.abs(expected.get(i).asDouble()));
            }
            assertTrue(maxDiff <= TOLERANCE, name + ": max |kinema - torchvision| = " + maxDiff);
            // The comparison means something only if the logits are not all near zero.
            assertTrue(maxAbs > 100 * TOLERANCE, name + ": golden logits too small to compare, max " + maxAbs);
        }
    }

    private static JsonNode golden(String name) throws IOException {
        String path = "/golden/videoresnet/" + name + ".json";
        try (InputStream in = VideoResNetParityTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing " + path + "; run /usr/bin/python3 tools/golden/videoresnet.py");
            }
            return new ObjectMapper().readTree(in);
        }
    }

    private static Shape shape(JsonNode dims) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = dims.get(i).asLong();
        }
        return new Shape(s);
    }
}

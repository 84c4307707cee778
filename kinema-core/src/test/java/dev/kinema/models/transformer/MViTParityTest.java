package dev.kinema.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.KernelCheck;
import dev.kinema.weights.DeterministicFill;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Oracle test against torchvision 0.14's MViT: its {@code mvit_v1_b} and {@code mvit_v2_s}, all 16
 * blocks at full width but built for a 4×32×32 clip, and Kinema's, both filled with
 * {@link DeterministicFill}'s weights through the state_dict names, have the same names and shapes,
 * give the same eval logits and the same gradients. Goldens from {@code tools/golden/mvit.py}.
 */
class MViTParityTest {
    private static final double TOLERANCE = 1e-4;
    /** Relative, on a gradient's signature (KernelCheck.Signature), as VideoResNetParityTest's eval-free check. */
    private static final double GRADIENT_TOLERANCE = 1e-3;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"mvit_v1_b", "mvit_v2_s"})
    void namesLogitsAndGradientsMatchTorchvision(String name) throws IOException {
        JsonNode golden = golden(name);
        Shape input = shape(golden.get("input").get("shape"));
        VideoModel model = ModelRegistry.create(name, ModelConfig.builder().setNumClasses(golden.get("numClasses").asInt())
                .optFrames((int) input.get(2)).optSize((int) input.get(3)).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, input);
            Map<String, Parameter> filled = DeterministicFill.fill(model);
            Map<String, Shape> kinema = new TreeMap<>();
            filled.forEach((k, p) -> kinema.put(k, p.getArray().getShape()));
            Map<String, Shape> torchvision = new TreeMap<>();
            golden.get("stateDict").forEach(e -> torchvision.put(e.get(0).asText(), shape(e.get(1))));
            assertEquals(torchvision, kinema, "parameter names and shapes must be torchvision's state_dict");
            assertEquals(golden.get("parameterCount").asLong(), model.parameterCount(), "the layer table's count");

            NDArray clip = DeterministicFill.input(manager, golden.get("input").get("name").asText(), input);
            clip.setRequiresGradient(true);
            NDArray logits;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                logits = model.forward(new ParameterStore(manager, false), new NDList(clip), false).singletonOrThrow();
                collector.backward(logits.mul(DeterministicFill.input(manager, "logits.grad", logits.getShape())).sum());
            }
            assertEquals(shape(golden.get("logitsShape")), logits.getShape());
            float[] actual = logits.toFloatArray();
            double maxDiff = 0;
            double maxAbs = 0;
            for (int i = 0; i < actual.length; i++) {
                double expected = golden.get("logits").get(i).asDouble();
                maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected));
                maxAbs = Math.max(maxAbs, Math.abs(expected));
            }
            assertTrue(maxDiff <= TOLERANCE, name + ": max |kinema - torchvision| = " + maxDiff);
            assertTrue(maxAbs > 100 * TOLERANCE, name + ": golden logits too small to compare, max " + maxAbs);

            JsonNode expected = golden.get("gradients");
            assertEquals(filled.size() + 1, expected.size(), "one gradient per parameter, and the clip's");
            double worst = 0;
            String worstName = "";
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) expected::fields) {
                if (e.getKey().endsWith("pool_k.norm_act.0.bias")) {
                    // a shift of every key by the same vector moves a query's scores alike and leaves
                    // softmax unchanged: this gradient is zero, and both sides hold rounding noise
                    continue;
                }
                NDArray grad = e.getKey().equals("input") ? clip.getGradient() : filled.get(e.getKey()).getArray().getGradient();
                float[] values = grad.toFloatArray();
                JsonNode s = e.getValue();
                double error = KernelCheck.Signature.of(values, DeterministicFill.uniform("r." + e.getKey(), values.length))
                        .error(new KernelCheck.Signature(s.get(0).asDouble(), s.get(1).asDouble(), s.get(2).asDouble(),
                                s.get(3).asDouble()));
                if (!(error <= worst)) {
                    worst = error;
                    worstName = e.getKey();
                }
            }
            assertTrue(worst <= GRADIENT_TOLERANCE, name + ": the gradient of " + worstName + " is off by " + worst);
        }
    }

    private static JsonNode golden(String name) throws IOException {
        String path = "/golden/mvit/" + name + ".json";
        try (InputStream in = MViTParityTest.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing " + path + "; run /usr/bin/python3 tools/golden/mvit.py");
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

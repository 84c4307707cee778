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
import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import dev.kinema.nn.KernelCheck;
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
    /**
     * Relative, on a gradient's signature (KernelCheck.Signature). Training-mode BatchNorm on the
     * deepest stage's 2×1×1×1 statistics amplifies float32 rounding on the way back: the stem's and
     * first stage's gradients differ from torch's by up to 2e-3 with either kernel path (measured on
     * an AMD EPYC Zen 4), the clip's by up to 8e-5. Faults seen on bad kernels were 0.2 and more.
     */
    private static final double GRADIENT_TOLERANCE = 1e-2;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"r3d_18", "mc3_18", "r2plus1d_18"})
    void matchesTorchvisionLogitsWithTheSameDeterministicWeights(String name) throws IOException {
        JsonNode golden = golden(name);
        VideoModel model = model(name, golden);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> filled = initializeAndFill(model, golden, manager);

            Map<String, Shape> kinema = new TreeMap<>();
            filled.forEach((k, p) -> kinema.put(k, p.getArray().getShape()));
            Map<String, Shape> torchvision = new TreeMap<>();
            golden.get("stateDict").forEach(e -> torchvision.put(e.get(0).asText(), shape(e.get(1))));
            assertEquals(torchvision, kinema, "parameter names and shapes must be torchvision's state_dict");
            assertEquals(golden.get("parameterCount").asLong(), model.parameterCount());

            NDArray clip = clip(golden, manager);
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

    /**
     * Training mode, forward and backward: torchvision's gradients (oneDNN off) of the clip and of
     * every parameter, from {@code Σ logits·g}, with BatchNorm on batch statistics. This catches a
     * wrong input or weight gradient anywhere in the network, e.g. a backward-data kernel that is
     * wrong on one CPU kind, through the whole chain of layers as training runs it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"r3d_18", "mc3_18", "r2plus1d_18"})
    void trainingGradientsMatchTorchvision(String name) throws IOException {
        JsonNode golden = golden(name);
        VideoModel model = model(name, golden);
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> filled = initializeAndFill(model, golden, manager);
            NDArray clip = clip(golden, manager);
            clip.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(clip), true)
                        .singletonOrThrow();
                NDArray g = DeterministicFill.input(manager, "logits.grad", logits.getShape());
                collector.backward(logits.mul(g).sum());
            }
            JsonNode expected = golden.get("gradients");
            long trainable = filled.values().stream().filter(Parameter::requiresGradient).count();
            assertEquals(trainable + 1, expected.size(), "one gradient per trainable parameter, and the clip's");
            double worst = 0;
            String worstName = "";
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) expected::fields) {
                NDArray grad = e.getKey().equals("input") ? clip.getGradient()
                        : filled.get(e.getKey()).getArray().getGradient();
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
            assertTrue(worst <= GRADIENT_TOLERANCE, name + ": the gradient of " + worstName + " is off by " + worst
                    + " (relative)");
        }
    }

    /** The registered model on the golden clip's frames and size, with the golden's classes. */
    private static VideoModel model(String name, JsonNode golden) {
        Shape input = shape(golden.get("input").get("shape"));
        return ModelRegistry.create(name, ModelConfig.builder().setNumClasses(golden.get("numClasses").asInt())
                .optFrames((int) input.get(2)).optSize((int) input.get(3)).build());
    }

    /** Initialises {@code model} for the golden clip and fills it as torchvision's was filled. */
    private static Map<String, Parameter> initializeAndFill(VideoModel model, JsonNode golden, NDManager manager) {
        model.initialize(manager, DataType.FLOAT32, shape(golden.get("input").get("shape")));
        return DeterministicFill.fill(model);
    }

    private static NDArray clip(JsonNode golden, NDManager manager) {
        JsonNode input = golden.get("input");
        return DeterministicFill.input(manager, input.get("name").asText(), shape(input.get("shape")));
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

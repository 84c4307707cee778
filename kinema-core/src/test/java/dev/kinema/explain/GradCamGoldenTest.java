package dev.kinema.explain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearHead;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.NamedSequential;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM's arithmetic against mmaction2's, run by torch 1.13 on a tiny model with fixed weights
 * ({@code tools/golden/gradcam_golden.py}): the channel weights per time step, the ReLU, the
 * trilinear upsampling and the normalisation, at the last layer (the head run on a leaf) and at an
 * inner one (the layer tapped inside the network).
 */
class GradCamGoldenTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void mapsMatchMmaction2sArithmeticInTorch() throws IOException {
        JsonNode golden = golden();
        VideoModel model = tinyModel();
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager);
            load(model, golden.get("state_dict"));
            NDArray clip = manager.create(floats(golden.get("input")), shape(golden.get("input_shape")));
            for (JsonNode c : golden.get("cases")) {
                Integer target = c.get("target").isNull() ? null : c.get("target").asInt();
                GradCam.Result r = GradCam.of(model, c.get("layer").asText()).explain(clip, target);
                String what = c.get("layer").asText() + " class " + c.get("class").asInt();
                assertEquals(c.get("class").asInt(), r.target(), what);
                assertEquals(c.get("score").asDouble(), r.score(), TOLERANCE, what);
                assertEquals(shape(c.get("layer_shape")), r.layerShape(), what);
                float[] expected = floats(c.get("map"));
                assertEquals(expected.length, r.map().length, what);
                double worst = 0;
                for (int i = 0; i < expected.length; i++) {
                    worst = Math.max(worst, Math.abs(expected[i] - r.map()[i]));
                }
                assertTrue(worst < TOLERANCE, what + ": max |kinema - mmaction2| = " + worst);
            }
            // The wrapped layer is put back: the model's layers and scores are as before.
            assertEquals(java.util.List.of("conv1", "conv2"), ((NamedSequential) model.features()).names());
        }
    }

    @Test
    void theDefaultLayerIsTheLastStageAndAnUnknownLayerIsNamed() {
        VideoModel model = tinyModel();
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager);
            assertEquals("conv2", GradCam.defaultLayer(model));
            NDArray clip = manager.randomNormal(new Shape(1, 3, 4, 8, 8));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GradCam.of(model, "conv9").explain(clip, null));
            assertTrue(e.getMessage().contains("conv9") && e.getMessage().contains("[conv1, conv2]"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> GradCam.of(model).explain(clip, 3));
        }
    }

    /** The golden script's network: the same layers, names and parameter order. */
    static VideoModel tinyModel() {
        ModelConfig config = ModelConfig.builder().setNumClasses(3).optFrames(4).optSize(8).build();
        ConvSpec first = new ConvSpec(3, 3, 4, new Shape(3, 3, 3), new Shape(1, 1, 1), new Shape(1, 1, 1), true);
        ConvSpec second = new ConvSpec(3, 4, 6, new Shape(3, 3, 3), new Shape(2, 2, 2), new Shape(1, 1, 1), true);
        NamedSequential features = NamedSequential.layers()
                .add("conv1", NamedSequential.unit().add("conv", LayerFactory.djlConv(first)).add("act", Activation.reluBlock()))
                .add("conv2", NamedSequential.unit().add("conv", LayerFactory.djlConv(second)).add("act", Activation.reluBlock()));
        return new VideoModel("gradcam-golden", config, features, LinearHead.pooled(3));
    }

    private static void load(VideoModel model, JsonNode stateDict) {
        PairList<String, Parameter> params = model.getParameters();
        assertEquals(stateDict.size(), params.size(), "parameters " + params.keys());
        for (int i = 0; i < params.size(); i++) {
            JsonNode entry = stateDict.get(i);
            NDArray array = params.valueAt(i).getArray();
            assertEquals(shape(entry.get(1)), array.getShape(), params.keyAt(i) + " vs " + entry.get(0).asText());
            array.set(FloatBuffer.wrap(floats(entry.get(2))));
        }
    }

    private static JsonNode golden() throws IOException {
        try (InputStream in = GradCamGoldenTest.class.getResourceAsStream("/golden/gradcam/gradcam.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static float[] floats(JsonNode values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }

    private static Shape shape(JsonNode dims) {
        long[] s = new long[dims.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = dims.get(i).asLong();
        }
        return new Shape(s);
    }
}

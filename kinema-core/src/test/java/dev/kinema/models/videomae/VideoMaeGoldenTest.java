package dev.kinema.models.videomae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.io.FloatTensor;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.weights.SafetensorsFile;
import dev.kinema.weights.WeightLoader;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kinema's VideoMAE against the torch 1.13 reference of tools/golden/videomae_golden.py (a tiny
 * VideoMAE after MCG-NJU's code): its state_dicts load strictly by name, and the encoder on the
 * visible tokens, the decoder's predictions, the normalised-pixel targets and the mean-pooling
 * classifier's logits match within 1e-5.
 */
class VideoMaeGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/videomae");
    private static final VideoMaeSpec TINY = new VideoMaeSpec(32, 2, 4, 4.0, 2, 8, 16, 1, 2, false, 0f);
    private static final float TOLERANCE = 1e-5f;
    private static FloatTensor clip;
    private static FloatTensor visible;
    private static FloatTensor masked;

    @BeforeAll
    static void readInputs() throws IOException {
        try (SafetensorsFile io = SafetensorsFile.open(DIR.resolve("io.safetensors"))) {
            clip = io.read("clip");
            visible = io.read("visible");
            masked = io.read("masked");
        }
    }

    private static NDArray array(NDManager m, FloatTensor t) {
        return m.create(t.data(), new Shape(t.shape()));
    }

    private static NDArray index(NDManager m, FloatTensor t) {
        return array(m, t).toType(DataType.INT64, false);
    }

    private static void assertClose(String name, NDArray actual) throws IOException {
        FloatTensor expected;
        try (SafetensorsFile io = SafetensorsFile.open(DIR.resolve("io.safetensors"))) {
            expected = io.read(name);
        }
        assertArrayEquals(expected.shape(), actual.getShape().getShape(), name + " shape");
        float[] a = actual.toFloatArray();
        float worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - expected.data()[i]));
        }
        assertTrue(worst <= TOLERANCE, name + ": largest difference " + worst);
    }

    @Test
    void referenceEncoderLoadsStrictlyAndMatchesOnVisibleTokens() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            VideoMaeEncoder encoder = new VideoMaeEncoder(TINY, 3, false, true, 0.5);
            encoder.initialize(m, DataType.FLOAT32, new Shape(clip.shape()));
            WeightLoader.strict().load(encoder, DIR.resolve("encoder.safetensors"));
            NDArray out = encoder.forward(new ParameterStore(m, false),
                    new NDList(array(m, clip), index(m, visible)), false).singletonOrThrow();
            assertClose("encoded", out);
        }
    }

    @Test
    void referencePretrainingNetworkLoadsStrictlyAndPredictsTheSamePixels() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            VideoMaePretraining net = new VideoMaePretraining("tiny", TINY, 3, 0.5);
            net.initialize(m, DataType.FLOAT32, new Shape(clip.shape()));
            WeightLoader.strict().load(net, DIR.resolve("pretrain.safetensors"));
            NDArray clips = array(m, clip);
            NDArray out = net.forward(new ParameterStore(m, false),
                    new NDList(clips, index(m, visible), index(m, masked)), false).singletonOrThrow();
            assertClose("predictions", out);
            assertClose("targets", net.pixels().normalised(clips));
        }
    }

    @Test
    void referenceClassifierLoadsStrictlyAndGivesTheSameLogits() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            VideoModel model = VideoMaes.classifier("tiny", TINY, ModelConfig.builder().setNumClasses(5).optFrames(4)
                    .optSize(16).build());
            model.initialize(m, DataType.FLOAT32, new Shape(clip.shape()));
            WeightLoader.strict().load(model, DIR.resolve("finetune.safetensors"));
            NDArray logits = model.forward(new ParameterStore(m, false), new NDList(array(m, clip)), false)
                    .singletonOrThrow();
            assertClose("logits", logits);
        }
    }
}

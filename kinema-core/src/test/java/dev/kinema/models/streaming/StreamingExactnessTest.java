package dev.kinema.models.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.nn.CausalConv3d;
import dev.kinema.nn.StreamSession;
import dev.kinema.nn.StreamingLayer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The streaming models' contract: running a clip frame by frame (or two frames at a time) through
 * the stream buffers gives the whole clip's feature maps at every frame, and the classifier's scores
 * after frame t are the whole network's scores on frames 1..t. Tiny clips (4 frames of 32²), random
 * weights, inference mode.
 */
class StreamingExactnessTest {
    private static final int FRAMES = 4;
    private static final float TOLERANCE = 1e-4f;

    @ParameterizedTest
    @ValueSource(strings = {"stream-x3d-s", "stream-r2plus1d-18"})
    void streamedFramesEqualTheWholeClip(String name) {
        VideoModel model = ModelRegistry.create(name, ModelConfig.of(3, FRAMES, 32));
        assertTrue(StreamSession.layersOf(model).stream().anyMatch(l -> l instanceof CausalConv3d),
                name + " has causal convolutions");
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, FRAMES, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray clip = m.randomNormal(new Shape(1, 3, FRAMES, 32, 32));
            NDArray whole = model.forwardFeatures(ps, new NDList(clip), false).singletonOrThrow();
            assertEquals(FRAMES, whole.getShape().get(2), "one feature frame per input frame");
            List<float[]> prefixScores = new ArrayList<>();
            for (int t = 1; t <= FRAMES; t++) {
                prefixScores.add(model.forward(ps, new NDList(clip.get(new NDIndex(":, :, :" + t))), false)
                        .singletonOrThrow().toFloatArray());
            }
            for (int step : new int[] {1, 2}) {
                NDList streamed = new NDList();
                try (StreamSession stream = StreamSession.open(model)) {
                    for (int t = 0; t < FRAMES; t += step) {
                        NDArray piece = clip.get(new NDIndex(":, :, " + t + ":" + (t + step)));
                        NDArray features = model.forwardFeatures(ps, new NDList(piece), false).singletonOrThrow();
                        streamed.add(features);
                        float[] scores = model.forwardHead(ps, new NDList(features), false).singletonOrThrow()
                                .toFloatArray();
                        assertArrayEquals(prefixScores.get(t + step - 1), scores, TOLERANCE,
                                name + ": scores after frame " + (t + step) + ", " + step + " frame(s) a step");
                    }
                }
                NDArray joined = NDArrays.concat(streamed, 2);
                float maxDiff = joined.sub(whole).abs().max().getFloat();
                float scale = whole.abs().max().getFloat();
                assertTrue(maxDiff <= TOLERANCE * scale, name + ": streamed features differ from the whole clip's by "
                        + maxDiff + " (largest value " + scale + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream-x3d-s", "stream-r2plus1d-18"})
    void bufferMemoryDoesNotGrowWithTheStream(String name) {
        VideoModel model = ModelRegistry.create(name, ModelConfig.of(3, 4, 32));
        try (NDManager m = NDManager.newBaseManager()) {
            model.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 32, 32));
            ParameterStore ps = new ParameterStore(m, false);
            List<StreamingLayer> layers = StreamSession.layersOf(model);
            try (StreamSession stream = StreamSession.open(model)) {
                long[] carried = new long[2];
                for (int t = 0; t < 8; t++) {
                    try (NDManager step = m.newSubManager()) {
                        model.forward(ps, new NDList(step.randomNormal(new Shape(1, 3, 1, 32, 32))), false);
                    }
                    if (t == 2) {
                        carried[0] = stream.carriedValues();
                    }
                }
                carried[1] = stream.carriedValues();
                assertTrue(carried[0] > 0, name + " carries buffers");
                assertEquals(carried[0], carried[1], name + ": the carried state after 3 and 8 frames");
            }
            assertTrue(layers.size() > 3);
        }
    }
}

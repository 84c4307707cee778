package dev.kinema.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import org.junit.jupiter.api.Test;

/** A Predictor's forward pass in chunks gives what one pass over all clips gives. */
class ForwardChunkedTest {
    @Test
    void chunksOfThreeOverSevenClipsEqualOnePass() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            VideoModel model = ModelRegistry.create("tiny-3d", ModelConfig.of(4, 4, 16));
            model.initialize(manager);
            NDArray clips = manager.randomNormal(new Shape(7).addAll(model.inputShape()));
            float[] whole = model.forward(new ParameterStore(manager, false), new NDList(clips), false)
                    .singletonOrThrow().toFloatArray();
            Block chunked = Forward.chunked(model, 3);
            NDArray out = chunked.forward(new ParameterStore(manager, false), new NDList(clips), false).singletonOrThrow();
            assertEquals(new Shape(7, 4), out.getShape());
            assertArrayEquals(whole, out.toFloatArray(), 1e-5f);
        }
    }
}

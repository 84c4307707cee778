package dev.kinema.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.kinema.nn.FrameConsensus;
import org.junit.jupiter.api.Test;

/** The single-frame baseline: per-frame logits averaged while training, per-frame probabilities averaged at test time. */
class SingleFrameTest {
    @Test
    void consensusAveragesLogitsWhenTrainingAndProbabilitiesAtInference() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one clip, 3 classes, 2 frames: frame 0 scores (1, 2, 0), frame 1 scores (3, 0, 0)
            NDArray perFrame = m.create(new float[] {1, 3, 2, 0, 0, 0}, new Shape(1, 3, 2));
            FrameConsensus consensus = new FrameConsensus();
            ParameterStore store = new ParameterStore(m, false);

            NDArray training = consensus.forward(store, new NDList(perFrame), true).singletonOrThrow();
            assertTrue(training.allClose(m.create(new float[] {2, 1, 0}, new Shape(1, 3))), training.toString());

            NDArray inference = consensus.forward(store, new NDList(perFrame), false).singletonOrThrow();
            NDArray p0 = m.create(new float[] {1, 2, 0}).softmax(0);
            NDArray p1 = m.create(new float[] {3, 0, 0}).softmax(0);
            NDArray expected = p0.add(p1).div(2).reshape(1, 3);
            assertTrue(inference.softmax(1).allClose(expected), inference.softmax(1) + " vs " + expected);
            // ...which is not what averaging logits gives.
            assertFalse(training.softmax(1).allClose(expected, 1e-3, 1e-3, false));
        }
    }

    @Test
    void consensusStaysFiniteForConfidentFrames() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray perFrame = m.create(new float[] {1000, -1000, -1000, 1000}, new Shape(1, 2, 2));
            NDArray out = new FrameConsensus().forward(new ParameterStore(m, false), new NDList(perFrame), false)
                    .singletonOrThrow();
            assertTrue(out.softmax(1).allClose(m.create(new float[] {0.5f, 0.5f}, new Shape(1, 2))), out.toString());
        }
    }

    @Test
    void aClipsProbabilitiesAreTheMeanOfItsFramesProbabilities() {
        VideoModel model = ModelRegistry.create("single-frame", TinyModels.config("small", 4, 2, 32));
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            model.initialize(m);   // a batch of one default clip: 1 x 3 x 2 x 32 x 32
            ParameterStore store = new ParameterStore(m, false);
            NDArray a = m.randomNormal(new Shape(1, 3, 1, 32, 32));
            NDArray b = m.randomNormal(new Shape(1, 3, 1, 32, 32));
            NDArray ab = model.predictProbabilities(store, a.concat(b, 2));
            NDArray aa = model.predictProbabilities(store, a.concat(a, 2));
            NDArray bb = model.predictProbabilities(store, b.concat(b, 2));
            assertFalse(aa.allClose(bb), "two random frames should be classified differently");
            assertTrue(ab.allClose(aa.add(bb).div(2), 1e-5, 1e-6, false), ab + " vs mean of " + aa + " and " + bb);
        }
    }

    @Test
    void perFrameClassifierIsCountedOncePerFrame() {
        VideoModel model = ModelRegistry.create("single-frame", TinyModels.config("small", 10, 8, 112));
        assertEquals("10 x 8", model.layerTable().row("frames.fc").shapeText());
        assertEquals(8L * 128 * 10, model.layerTable().row("frames.fc").macs());
        assertEquals("10", model.layerTable().row("consensus").shapeText());
        assertEquals("8 x 112 x 112", model.layerTable().row("consensus").receptiveFieldText());
        assertEquals("1 x 112 x 112", model.layerTable().row("frames.fc").receptiveFieldText());
    }
}

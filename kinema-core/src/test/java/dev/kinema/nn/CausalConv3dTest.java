package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Causal convolution and cumulative pooling, whole and streamed, on fixtures worked out by hand. */
class CausalConv3dTest {
    /**
     * The fixture: an all-ones causal 3×3×3 convolution, 3 channels to 1, no bias, "same"
     * spatial padding, on an all-ones clip of 4 frames of 2×2. Every 3×3 window covers the 4 pixels
     * of a 2×2 frame, so frame t sums 3 channels × 4 pixels × the min(t+1, 3) frames of its causal
     * window: 12, 24, 36, 36, whole or one frame at a time.
     */
    @Test
    void allOnesFixtureGives12_24_36_36WholeAndStreamed() {
        try (NDManager m = NDManager.newBaseManager()) {
            CausalConv3d conv = CausalConv3d.of(ConvSpec.conv3d(3, 1, 3, 3, 3));
            conv.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 2, 2));
            conv.getParameters().get("weight").getArray().muli(0).addi(1);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray clip = m.ones(new Shape(1, 3, 4, 2, 2));
            float[] expected = {12, 24, 36, 36};

            NDArray whole = conv.forward(ps, new NDList(clip), false).singletonOrThrow();
            assertEquals(new Shape(1, 1, 4, 2, 2), whole.getShape());
            for (int t = 0; t < 4; t++) {
                assertArrayEquals(new float[] {expected[t], expected[t], expected[t], expected[t]},
                        whole.get(new NDIndex("0, 0, " + t)).toFloatArray(), 0f, "frame " + t + " of the whole clip");
            }
            try (StreamSession stream = StreamSession.open(conv)) {
                for (int t = 0; t < 4; t++) {
                    try (NDManager step = m.newSubManager()) {
                        NDArray frame = step.ones(new Shape(1, 3, 1, 2, 2));
                        NDArray out = conv.forward(ps, new NDList(frame), false).singletonOrThrow();
                        assertEquals(new Shape(1, 1, 1, 2, 2), out.getShape());
                        assertArrayEquals(new float[] {expected[t], expected[t], expected[t], expected[t]},
                                out.toFloatArray(), 0f, "streamed frame " + t);
                    }
                }
            }
        }
    }

    @Test
    void causalPoolingIsTheRunningMeanAndTheClipMeanAtTheEnd() {
        try (NDManager m = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(m, false);
            NDArray clip = m.arange(24f).reshape(1, 2, 3, 2, 2);   // channel 0 frames have means 1.5, 5.5, 9.5
            CausalGlobalAvgPool pool = new CausalGlobalAvgPool();
            NDArray whole = pool.forward(ps, new NDList(clip), false).singletonOrThrow();
            NDArray global = new GlobalAvgPool().forward(ps, new NDList(clip), false).singletonOrThrow();
            assertArrayEquals(global.toFloatArray(), whole.toFloatArray(), 1e-6f);
            float[] running = {1.5f, 3.5f, 5.5f};
            try (StreamSession stream = StreamSession.open(pool)) {
                for (int t = 0; t < 3; t++) {
                    NDArray out = pool.forward(ps, new NDList(clip.get(new NDIndex(":, :, " + t + ":" + (t + 1)))), false)
                            .singletonOrThrow();
                    assertEquals(running[t], out.getFloat(0, 0, 0, 0, 0), 1e-6f, "channel 0 after frame " + t);
                }
            }
        }
    }

    @Test
    void refusesWhatCannotBeCausal() {
        assertThrows(IllegalArgumentException.class, () -> CausalConv3d.of(ConvSpec.conv3d(3, 1, 2, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> CausalConv3d.of(ConvSpec.conv3d(3, 1, 3, 3, 3).stride(2)));
        assertThrows(IllegalArgumentException.class, () -> StreamSession.open(new GlobalAvgPool()));
    }
}

package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv3d;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuardedConv3dTest {
    @TempDir
    Path tmp;

    /** Measured to fail unguarded (T, kernel, stride, padding in time), docs/models.md. */
    private static final List<long[]> FAILING = List.of(
            new long[] {5, 7, 2, 3}, new long[] {6, 7, 2, 3}, new long[] {7, 7, 2, 3},
            new long[] {4, 6, 2, 3}, new long[] {5, 6, 2, 3}, new long[] {6, 6, 2, 3},
            new long[] {7, 9, 2, 3}, new long[] {8, 9, 2, 3}, new long[] {9, 9, 2, 3}, new long[] {6, 9, 2, 4},
            new long[] {6, 9, 3, 4}, new long[] {7, 9, 3, 4}, new long[] {8, 9, 3, 4}, new long[] {9, 9, 3, 4},
            new long[] {10, 9, 3, 4}, new long[] {8, 11, 2, 4},
            new long[] {7, 11, 2, 5}, new long[] {8, 11, 2, 5}, new long[] {9, 11, 2, 5}, new long[] {10, 11, 2, 5},
            new long[] {11, 11, 2, 5}, new long[] {8, 11, 3, 4}, new long[] {9, 11, 3, 4}, new long[] {10, 11, 3, 4},
            new long[] {11, 11, 3, 4}, new long[] {12, 11, 3, 4}, new long[] {7, 11, 3, 5}, new long[] {8, 11, 3, 5},
            new long[] {9, 11, 3, 5}, new long[] {10, 11, 3, 5}, new long[] {11, 11, 3, 5});

    /**
     * The regression test proper: one training step on the shapes that crash, hang or corrupt the
     * weight gradient in the engine, in a child JVM so that a crash fails this test instead of
     * ending the suite.
     */
    @Test
    void shortClipsTrainCorrectlyInAChildJvm() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path log = tmp.resolve("probe.log");
        Process child = new ProcessBuilder(java.toString(), "-Dai.djl.offline=true",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                ShortClipConvProbe.class.getName()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = child.waitFor(60, TimeUnit.SECONDS);   // it needs a few seconds
        if (!finished) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log);
        assertTrue(finished, "the child JVM hung in the convolution's backward pass:\n" + output);
        assertEquals(0, child.exitValue(), "the child JVM failed (134/139: a native crash):\n" + output);
        for (int t = 5; t <= 7; t++) {
            assertTrue(output.contains("T=" + t + " matches"), output);
        }
    }

    @Test
    void everyMeasuredFailureIsPaddedExplicitly() {
        for (long[] f : FAILING) {
            assertTrue(GuardedConv3d.padsTimeItself(f[0], f[1], f[2], f[3]), java.util.Arrays.toString(f));
        }
        assertTrue(GuardedConv3d.padsTimeItself(8, 7, 2, 3));     // measured safe, padded for a margin
        assertFalse(GuardedConv3d.padsTimeItself(9, 7, 2, 3));    // as long as the window and one stride
        assertFalse(GuardedConv3d.padsTimeItself(16, 7, 2, 3));
        assertFalse(GuardedConv3d.padsTimeItself(5, 7, 1, 3));    // not strided in time
        assertFalse(GuardedConv3d.padsTimeItself(5, 7, 2, 0));    // no temporal padding (I3D pads itself)
        assertFalse(GuardedConv3d.padsTimeItself(4, 1, 2, 0));    // a strided 1x1x1 projection
    }

    @Test
    void outputIsDjlsConv3dWhetherOrNotTheClipIsPaddedExplicitly() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray w = m.randomNormal(new Shape(4, 3, 7, 3, 3));
            NDArray b = m.randomNormal(new Shape(4));
            for (int t = 1; t <= 10; t++) {
                NDArray x = m.randomNormal(new Shape(2, 3, t, 9, 9));
                Shape stride = new Shape(2, 2, 1);
                Shape padding = new Shape(3, 1, 1);
                Shape dilation = new Shape(1, 1, 1);
                NDArray expected = Conv3d.conv3d(x, w, b, stride, padding, dilation, 1).singletonOrThrow();
                NDArray actual = GuardedConv3d.convolve(x, w, b, stride, padding, dilation, 1).singletonOrThrow();
                assertEquals(expected.getShape(), actual.getShape(), "T=" + t);
                assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-4f, "T=" + t);
            }
        }
    }

    @Test
    void theDefaultFactoryMakesGuardedConvolutionsWithDjlsParameterNames() {
        ConvSpec spec = ConvSpec.conv3d(3, 8, 3, 3, 3).stride(2);
        GuardedConv3d conv = assertInstanceOf(GuardedConv3d.class, LayerFactory.defaults().conv(spec));
        assertEquals(List.of("weight"), conv.getParameters().keys());
        assertEquals(new Shape(2, 2, 2), conv.getStride());
        assertEquals(List.of("weight", "bias"), LayerFactory.djlConv(spec.bias(true)).getParameters().keys());
        assertThrows(IllegalArgumentException.class, () -> GuardedConv3d.of(ConvSpec.conv2d(3, 8, 3)));
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray frames = m.zeros(new Shape(1, 3, 9, 9));
            assertThrows(IllegalArgumentException.class, () -> GuardedConv3d.convolve(frames,
                    m.zeros(new Shape(8, 3, 3, 3, 3)), null, new Shape(1, 1, 1), new Shape(1, 1, 1),
                    new Shape(1, 1, 1), 1));
        }
    }

    @Test
    void aBatchOfOneOnASmallMapRunsAsTwoHalvesWhereOneDnnIsOn() {
        Shape one = new Shape(1, 1, 1);
        boolean onednn = dev.kinema.engine.EngineGuard.onednnEnabled();
        // r3d_18's layer3 at 16x112x112 clips: libtorch's rule picks its native kernel.
        assertEquals(onednn, GuardedConv3d.runsAsTwoHalves(new Shape(1, 256, 4, 14, 14), new Shape(256, 256, 3, 3, 3),
                one, one, 1, 1));
        assertFalse(GuardedConv3d.runsAsTwoHalves(new Shape(1, 512, 2, 7, 7), new Shape(512, 512, 3, 3, 3),
                one, one, 1, 1));                                   // layer4's 7x7 frames: no faster on oneDNN
        assertFalse(GuardedConv3d.runsAsTwoHalves(new Shape(2, 256, 4, 14, 14), new Shape(256, 256, 3, 3, 3),
                one, one, 1, 1));                                   // a batch: oneDNN already
        assertFalse(GuardedConv3d.runsAsTwoHalves(new Shape(1, 64, 16, 56, 56), new Shape(64, 64, 3, 3, 3),
                one, one, 1, 1));                                   // a large map: oneDNN already
        assertFalse(GuardedConv3d.runsAsTwoHalves(new Shape(1, 256, 4, 14, 14), new Shape(256, 256, 3, 3, 3),
                new Shape(2, 1, 1), one, 1, 1));                    // strided in time
        assertFalse(GuardedConv3d.runsAsTwoHalves(new Shape(1, 256, 4, 14, 14), new Shape(256, 1, 3, 3, 3),
                one, one, 256, 1));                                 // depthwise
        assertFalse(GuardedConv3d.runsAsTwoHalves(new Shape(1, 256, 1, 14, 14), new Shape(256, 256, 3, 3, 3),
                one, one, 1, 0));                                   // one output frame
    }

    @Test
    void twoHalvesComputeTheSameOutputAndGradientsAsOneConvolution() {
        // (T, kernel T, padding T, spatial stride, spatial kernel): even and odd output lengths, 1x1x1 projections.
        long[][] cases = {{4, 3, 1, 1, 3}, {5, 3, 1, 1, 3}, {2, 3, 1, 2, 3}, {7, 3, 0, 1, 3}, {4, 1, 0, 2, 1},
            {3, 1, 0, 1, 3}};
        for (long[] c : cases) {
            try (NDManager m = NDManager.newBaseManager()) {
                Shape stride = new Shape(1, c[3], c[3]);
                Shape padding = new Shape(c[2], c[4] / 2, c[4] / 2);
                Shape dilation = new Shape(1, 1, 1);
                NDArray x = m.randomNormal(new Shape(1, 8, c[0], 12, 12));
                NDArray w = m.randomNormal(new Shape(6, 8, c[1], c[4], c[4]));
                NDArray b = m.randomNormal(new Shape(6));
                assertEquals(dev.kinema.engine.EngineGuard.onednnEnabled(),
                        GuardedConv3d.runsAsTwoHalves(x.getShape(), w.getShape(), stride, dilation, 1, c[2]),
                        java.util.Arrays.toString(c));
                float[][] halves = outputAndGradients(x, w, b, true, stride, padding, dilation);
                float[][] whole = outputAndGradients(x, w, b, false, stride, padding, dilation);
                for (int i = 0; i < 3; i++) {
                    assertEquals(whole[i].length, halves[i].length, java.util.Arrays.toString(c));
                    for (int j = 0; j < whole[i].length; j++) {
                        assertEquals(whole[i][j], halves[i][j], 1e-3 * (1 + Math.abs(whole[i][j])),
                                java.util.Arrays.toString(c) + " tensor " + i + " element " + j);
                    }
                }
            }
        }
    }

    /** Output, input gradient and weight gradient of a sum-of-squares loss, in two halves or by DJL's conv3d. */
    private static float[][] outputAndGradients(NDArray x0, NDArray w0, NDArray b, boolean guarded, Shape stride,
            Shape padding, Shape dilation) {
        NDArray x = x0.duplicate();
        NDArray w = w0.duplicate();
        x.setRequiresGradient(true);
        w.setRequiresGradient(true);
        try (ai.djl.training.GradientCollector collector = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray y = guarded ? GuardedConv3d.convolveInTwoHalves(x, w, b, stride, padding).singletonOrThrow()
                    : Conv3d.conv3d(x, w, b, stride, padding, dilation, 1).singletonOrThrow();
            collector.backward(y.square().sum());
            return new float[][] {y.toFloatArray(), x.getGradient().toFloatArray(), w.getGradient().toFloatArray()};
        }
    }
}

package dev.kinema.nn;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Run in a child JVM by {@link GuardedConv3dTest}, because the bug it guards against can crash or
 * hang the JVM: trains Kinema's default 3D convolution (7×7×7, stride 2, padding 3, 3→4 channels)
 * for one step on 2×3×T×16×16 clips of T = 5, 6, 7 and compares both gradients with PyTorch's
 * reference convolution (tools/golden/conv3d_short_clip.py). Prints one line per clip; exits 0
 * when all match, 1 when any does not.
 */
public final class ShortClipConvProbe {
    private static final int N = 2;
    private static final int C = 3;
    private static final int O = 4;
    private static final int SIZE = 16;

    private ShortClipConvProbe() {}

    public static void main(String[] args) throws Exception {
        boolean allMatch = true;
        for (int t = 5; t <= 7; t++) {
            allMatch &= step(t);
        }
        System.out.flush();
        System.exit(allMatch ? 0 : 1);
    }

    private static boolean step(int frames) throws Exception {
        ConvSpec spec = new ConvSpec(3, C, O, new Shape(7, 7, 7), new Shape(2, 2, 2), new Shape(3, 3, 3), false);
        Block conv = LayerFactory.defaults().conv(spec);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape clip = new Shape(N, C, frames, SIZE, SIZE);
            conv.initialize(manager, DataType.FLOAT32, clip);
            NDArray weight = conv.getParameters().get("weight").getArray();
            weight.set(wave(manager, weight.getShape(), 0.05f).cos().toFloatArray());
            NDArray x = wave(manager, clip, 0.1f).sin();
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = conv.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(wave(manager, y.getShape(), 0.07f).sin()).sum());
            }
            double dw = worst(weight.getGradient().toFloatArray(), golden(frames, "dw"));
            double dx = worst(x.getGradient().toFloatArray(), golden(frames, "dx"));
            boolean match = dw < 1e-4 && dx < 1e-4;
            System.out.printf("T=%d %s: weight gradient off by %.2g, input gradient off by %.2g (relative)%n", frames,
                    match ? "matches" : "DIFFERS", dw, dx);
            return match;
        }
    }

    private static NDArray wave(NDManager manager, Shape shape, float step) {
        return manager.arange((float) shape.size()).mul(step).reshape(shape);
    }

    private static float[] golden(int frames, String which) throws URISyntaxException, java.io.IOException {
        String name = "/golden/conv3d/short_clip_T" + frames + "_" + which + ".npy";
        FloatTensor t = Npy.read(Path.of(ShortClipConvProbe.class.getResource(name).toURI()));
        return t.data();
    }

    /** The largest difference relative to the largest reference value (NaN counts as infinite). */
    private static double worst(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            worst = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
        }
        return worst / scale;
    }
}

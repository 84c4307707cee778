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
import dev.kinema.weights.ParameterNames;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files {@code tools/pytorchvideo/reference.py} wrote from its PyTorch mirrors of PyTorchVideo's
 * models (test resources {@code pytorchvideo/}): expected state_dict names and shapes, and eval-mode
 * logits for parameters set by a formula that {@link #fill} repeats here.
 */
public final class PyTorchVideoReference {
    private PyTorchVideoReference() {}

    /** Expected {@code name -> shape}, in state_dict order. */
    public static Map<String, Shape> names(String stem) {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (String line : lines(stem + ".names.txt")) {
            String[] p = line.split(" ");
            out.put(p[0], dims(p[1]));
        }
        return out;
    }

    /** Every parameter of {@code model} under its PyTorch name, with its shape. */
    public static Map<String, Shape> shapes(VideoModel model) {
        Map<String, Shape> out = new LinkedHashMap<>();
        ParameterNames.of(model).forEach((name, p) -> out.put(name, p.getArray().getShape()));
        return out;
    }

    /** The golden clip's shape and the logits, one row per clip. */
    public record Golden(Shape clip, float[][] logits) {}

    public static Golden golden(String stem) {
        List<String> l = lines(stem + ".golden.txt");
        Shape clip = dims(l.get(0).split(" ")[1]);
        float[][] logits = new float[l.size() - 1][];
        for (int i = 1; i < l.size(); i++) {
            String[] v = l.get(i).split(" ");
            logits[i - 1] = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                logits[i - 1][j] = Float.parseFloat(v[j]);
            }
        }
        return new Golden(clip, logits);
    }

    /** Sets every parameter and BatchNorm statistic as {@code reference.py}'s {@code fill} does. */
    public static void fill(VideoModel model) {
        for (Map.Entry<String, Parameter> e : ParameterNames.of(model).entrySet()) {
            NDArray a = e.getValue().getArray();
            a.set(values(e.getKey(), a.getShape()));
        }
    }

    public static float[] values(String name, Shape shape) {
        int n = Math.toIntExact(shape.size());
        int seed = name.chars().sum() % 997;
        String last = name.substring(name.lastIndexOf('.') + 1);
        float[] v = new float[n];
        double scale = shape.dimension() > 1 ? Math.sqrt(3.0 / (n / shape.get(0))) : 0;
        for (int k = 0; k < n; k++) {
            double wave = Math.sin(0.61 * k + 0.37 * seed);
            double x;
            if (last.equals("running_var")) {
                x = 1.0 + 0.25 * (wave + 1.0);
            } else if (last.equals("running_mean") || last.equals("bias")) {
                x = 0.1 * wave;
            } else if (shape.dimension() == 1) {
                x = 1.0 + 0.1 * wave;
            } else {
                x = wave * scale;
            }
            v[k] = (float) x;
        }
        return v;
    }

    /** The golden input clip: {@code sin(0.13 k)} over the flat index. */
    public static NDArray clip(NDManager manager, Shape shape) {
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int k = 0; k < v.length; k++) {
            v[k] = (float) Math.sin(0.13 * k);
        }
        return manager.create(v, shape);
    }

    private static Shape dims(String text) {
        String[] p = text.split("x");
        long[] d = new long[p.length];
        for (int i = 0; i < p.length; i++) {
            d[i] = Long.parseLong(p[i]);
        }
        return new Shape(d);
    }

    private static List<String> lines(String file) {
        InputStream in = PyTorchVideoReference.class.getResourceAsStream("/pytorchvideo/" + file);
        if (in == null) {
            throw new IllegalStateException("missing test resource pytorchvideo/" + file);
        }
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * Fills {@code model} with the reference's weights ({@link #fill}) and checks its logits on the
     * reference clip against PyTorchVideo's, within 2e-3.
     */
    public static void assertLogitsMatch(String stem, VideoModel model) {
        Golden golden = golden(stem);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, golden.clip());
            fill(model);
            NDArray logits = model.forward(new ParameterStore(manager, false), new NDList(clip(manager, golden.clip())),
                    false).singletonOrThrow();
            assertClose(golden.logits(), logits, 2e-3f);
        }
    }

    /** Fails unless {@code actual} is within {@code tolerance} (relative, at least absolute) of the reference logits. */
    public static void assertClose(float[][] expected, NDArray actual, float tolerance) {
        float[] a = actual.toFloatArray();
        int cols = expected[0].length;
        assertEquals(expected.length * cols, a.length);
        float worst = 0;
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < cols; j++) {
                float e = expected[i][j];
                float d = Math.abs(e - a[i * cols + j]) / Math.max(1f, Math.abs(e));
                worst = Math.max(worst, d);
            }
        }
        assertTrue(worst <= tolerance, "largest difference to the PyTorch reference: " + worst);
    }
}

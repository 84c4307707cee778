package dev.kinema.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Fills every parameter of a model from its name alone, by a formula that Python computes
 * bit-for-bit too ({@code tools/golden/videoresnet.py}), so a Kinema model and its reference
 * implementation can be given the same "weights" without shipping any: oracle tests compare their
 * outputs on the same deterministic input.
 *
 * <p><b>The formula</b> (all integer arithmetic modulo 2<sup>32</sup>, all float arithmetic in
 * float32):
 * <ol>
 *   <li>{@code h} = FNV-1a 32-bit hash of the UTF-8 bytes of the PyTorch-style name
 *       (offset basis 0x811C9DC5, prime 0x01000193).</li>
 *   <li>For the element with row-major flat index {@code i}: {@code x = h + i * 0x9E3779B9}, then
 *       murmur3's finaliser: {@code x ^= x >>> 16; x *= 0x85EBCA6B; x ^= x >>> 13; x *= 0xC2B2AE35;
 *       x ^= x >>> 16}.</li>
 *   <li>{@code v = (x >>> 8) * 2^-23 - 1}, uniform in [-1, 1) and exact in float32.</li>
 *   <li>The value depends on what the parameter is, read from the name's last part and its shape:
 *     <ul>
 *       <li>{@code running_var}: {@code 1 + 0.5 v}, in [0.5, 1.5);</li>
 *       <li>{@code running_mean}: {@code 0.1 v};</li>
 *       <li>{@code weight} of rank 1 (a normalisation's scale): {@code 1 + 0.1 v};</li>
 *       <li>{@code weight} of rank &gt;= 2 (conv or linear kernel): {@code g * v} with
 *           {@code g = (float) sqrt(3 / fan_in)}, {@code fan_in} the product of all axes but the
 *           first, so the kernel's variance is {@code 1 / fan_in} and activations keep their scale
 *           through deep networks;</li>
 *       <li>anything else (biases): {@code 0.1 v}.</li>
 *     </ul>
 *   </li>
 * </ol>
 * A test input uses {@link #uniform}, plain {@code v}, under a name of its own (e.g. {@code input}).
 */
public final class DeterministicFill {
    private static final int FNV_OFFSET = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;
    private static final int GOLDEN = 0x9E3779B9;
    private static final float TWO_POW_MINUS_23 = 1.0f / (1 << 23);

    private DeterministicFill() {}

    /** FNV-1a 32-bit of {@code name}'s UTF-8 bytes. */
    public static int nameHash(String name) {
        int h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= FNV_PRIME;
        }
        return h;
    }

    /** {@code v} of element {@code index} of the tensor whose name hashes to {@code hash}: in [-1, 1). */
    public static float unit(int hash, long index) {
        int x = hash + (int) index * GOLDEN;
        x ^= x >>> 16;
        x *= 0x85EBCA6B;
        x ^= x >>> 13;
        x *= 0xC2B2AE35;
        x ^= x >>> 16;
        return (x >>> 8) * TWO_POW_MINUS_23 - 1.0f;
    }

    /** {@code count} values {@code v} in [-1, 1) for {@code name}: test inputs. */
    public static float[] uniform(String name, long count) {
        float[] out = new float[Math.toIntExact(count)];
        int h = nameHash(name);
        for (int i = 0; i < out.length; i++) {
            out[i] = unit(h, i);
        }
        return out;
    }

    /** The values of the parameter {@code name} of shape {@code shape}, row-major. */
    public static float[] values(String name, Shape shape) {
        float[] v = uniform(name, shape.size());
        String last = name.substring(name.lastIndexOf('.') + 1);
        float centre;
        float scale;
        if (last.equals("running_var")) {
            centre = 1f;
            scale = 0.5f;
        } else if (last.equals("weight") && shape.dimension() == 1) {
            centre = 1f;
            scale = 0.1f;
        } else if (last.equals("weight")) {
            long fanIn = shape.size() / shape.get(0);
            centre = 0f;
            scale = (float) Math.sqrt(3.0 / fanIn);
        } else {
            centre = 0f;
            scale = 0.1f;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = centre + scale * v[i];
        }
        return v;
    }

    /** A float32 array of {@code shape} filled with {@link #uniform} values for {@code name}. */
    public static NDArray input(NDManager manager, String name, Shape shape) {
        return manager.create(uniform(name, shape.size()), shape);
    }

    /**
     * Overwrites every parameter of an initialised {@code model} with {@link #values} under its
     * {@linkplain ParameterNames PyTorch-style name}.
     *
     * @return the parameters filled, by name
     * @throws IllegalStateException if a parameter is not initialised or not float32
     */
    public static Map<String, Parameter> fill(Block model) {
        Map<String, Parameter> parameters = ParameterNames.of(model);
        parameters.forEach(DeterministicFill::fill);
        return parameters;
    }

    /** Overwrites one initialised parameter with {@link #values} for {@code name}. */
    public static void fill(String name, Parameter parameter) {
        if (!parameter.isInitialized()) {
            throw new IllegalStateException(name + " is not initialised; initialise the model first");
        }
        NDArray array = parameter.getArray();
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException(name + " is " + array.getDataType() + ", the fill is float32");
        }
        array.set(FloatBuffer.wrap(values(name, array.getShape())));
    }
}

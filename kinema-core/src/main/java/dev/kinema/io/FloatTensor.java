package dev.kinema.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * A float array with a shape, row-major (C order): what {@code .npy} files and safetensors tensors
 * hold once read into Java. The data is not copied; a 0-dimensional tensor has one element.
 */
public record FloatTensor(long[] shape, float[] data) {
    public FloatTensor {
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(data, "data");
        if (elements(shape) != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + elements(shape)
                    + " values, got " + data.length);
        }
        shape = shape.clone();
    }

    /** The number of elements a tensor of {@code shape} holds, checked against overflow. */
    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The shape as {@code 2x3x4}. */
    public String dims() {
        return dims(shape);
    }

    /** {@code shape} as {@code 2x3x4} ({@code scalar} for no axes). */
    public static String dims(long[] shape) {
        if (shape.length == 0) {
            return "scalar";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            b.append(i == 0 ? "" : "x").append(shape[i]);
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(data, t.data);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FloatTensor[" + dims() + "]";
    }
}

package dev.kinema.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * An array combined with a number, safe under autograd: use these instead of DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)} and
 * {@code minimum(Number)} (ArchitectureTest forbids those).
 *
 * <p>Why: DJL 0.35.1's PyTorch engine makes the number a tensor over a Java direct buffer
 * ({@code torch::from_blob}), applies the operator and closes that tensor at once, which lets the
 * garbage collector free the buffer. Autograd has saved the number for the backward pass (the
 * gradient of {@code x·s} is {@code g·s}), so the backward pass reads freed memory: a wrong or
 * non-finite gradient whenever a collection ran and the memory was reused in between, which differs
 * from process to process (the "non-finite gradient from a finite loss" of mvit-small and VideoMAE,
 * docs/models.md). Here the number is a tensor libtorch allocates ({@code full}), whose memory
 * autograd's reference keeps alive after the handle is closed.
 */
public final class Scalars {
    private Scalars() {}

    /** {@code x · value}. */
    public static NDArray mul(NDArray x, double value) {
        return combine(x, value, NDArray::mul);
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return combine(x, value, NDArray::div);
    }

    /** {@code x ^ value}, element-wise. */
    public static NDArray pow(NDArray x, double value) {
        return combine(x, value, NDArray::pow);
    }

    /** {@code max(x, value)}, element-wise. */
    public static NDArray maximum(NDArray x, double value) {
        return combine(x, value, NDArray::maximum);
    }

    /** {@code min(x, value)}, element-wise. */
    public static NDArray minimum(NDArray x, double value) {
        return combine(x, value, NDArray::minimum);
    }

    /** {@code op(x, value)} with the number as a libtorch-owned 0-d array, closed once the result exists. */
    private static NDArray combine(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray s = of(x, value)) {
            return op.apply(x, s);
        }
    }

    /** A 0-d array of {@code x}'s type on {@code x}'s manager, in memory libtorch owns. */
    private static NDArray of(NDArray x, double value) {
        return x.getManager().full(new Shape(), (float) value, x.getDataType());
    }
}

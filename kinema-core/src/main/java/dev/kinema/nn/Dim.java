package dev.kinema.nn;

/**
 * One spatial or temporal axis of a feature map: its size, and the receptive field and jump (the
 * distance, in input samples, between neighbouring units) of its units along the input axis it
 * descends from.
 *
 * <p>Sliding a window of {@code k} taps with dilation {@code d} and stride {@code s} gives
 * {@code rf' = rf + (k - 1) d jump} and {@code jump' = jump s}: the standard receptive-field
 * recurrence.
 */
public record Dim(Axis axis, long size, long rf, long jump) {
    public Dim {
        if (size < 1 || rf < 1 || jump < 1) {
            throw new IllegalArgumentException("bad " + axis + " dim: size " + size + ", rf " + rf + ", jump " + jump);
        }
    }

    /** A dim of the input itself: every unit sees one sample. */
    public static Dim input(Axis axis, long size) {
        return new Dim(axis, size, 1, 1);
    }

    /** Output length of a sliding window over {@code size} samples (floor mode, as PyTorch's default). */
    public static long slidingOutput(long size, long kernel, long stride, long padding, long dilation) {
        return Math.floorDiv(size + 2 * padding - dilation * (kernel - 1) - 1, stride) + 1;
    }

    /**
     * This dim after a window of {@code kernel} taps slides along it.
     *
     * @throws IllegalArgumentException if the input is too short for the window
     */
    public Dim slide(long kernel, long stride, long padding, long dilation) {
        long out = slidingOutput(size, kernel, stride, padding, dilation);
        if (out < 1) {
            throw new IllegalArgumentException(axis + " is " + size + ", too small for a window of " + kernel
                    + (padding > 0 ? " with padding " + padding : "")
                    + (dilation > 1 ? " and dilation " + dilation : ""));
        }
        return new Dim(axis, out, rf + (kernel - 1) * dilation * jump, jump * stride);
    }

    /** This dim reduced to one unit that sees all of it (global pooling, or a layer over a flattened map). */
    public Dim whole() {
        return new Dim(axis, 1, rf + (size - 1) * jump, jump * size);
    }

    /** This dim with every unit seeing all of it and its size kept (self-attention along the axis). */
    public Dim attended() {
        return new Dim(axis, size, rf + (size - 1) * jump, jump);
    }
}

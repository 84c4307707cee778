package dev.kinema.flow;

/**
 * The dense optical flow of one video: a sequence of flow fields, field {@code k} going from frame
 * {@code k * step()} to frame {@code (k + 1) * step()} of the decoded video. Each field is 2×H×W
 * floats, (dx, dy) in pixels of the field's own resolution, with the convention
 * {@code I[t+1](x + dx, y + dy) ≈ I[t](x, y)}.
 *
 * <p>A temporal-stream clip of L flows is {@code copy(first, L, ...)}: L consecutive fields, the
 * stack of the two-stream paper.
 */
public interface FlowVideo {
    /** Number of flow fields (frames − 1 for step 1). */
    int fields();

    /** Frames between the two ends of a field, in decoded frames. */
    int step();

    int height();

    int width();

    /**
     * Copies fields {@code [first, first + count)} into {@code dst} from {@code offset} on, as
     * count×2×H×W floats (dx then dy of each field), in pixels.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code [0, fields())}
     */
    void copy(int first, int count, float[] dst, int offset);
}

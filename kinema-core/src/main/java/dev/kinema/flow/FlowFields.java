package dev.kinema.flow;

import java.util.Objects;

/** A {@link FlowVideo} held in memory as floats: fields×2×H×W, dx plane then dy plane per field. */
public final class FlowFields extends AbstractFlowVideo {
    private final float[] data;

    /** @param data fields×2×H×W floats in pixels, owned by this object from now on (not copied) */
    public FlowFields(float[] data, int fields, int step, int height, int width) {
        super(Objects.requireNonNull(data, "data").length, fields, step, height, width);
        this.data = data;
    }

    @Override
    public void copy(int first, int count, float[] dst, int offset) {
        FlowVideos.checkRange(this, first, count);
        System.arraycopy(data, first * fieldSize(), dst, offset, count * fieldSize());
    }

    /** The raw fields×2×H×W floats; callers may read but must not modify them. */
    public float[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "FlowFields[" + shapeText() + "]";
    }
}

package dev.kinema.flow;

import java.util.Objects;

/** A {@link FlowVideo} held in memory as floats: fields×2×H×W, dx plane then dy plane per field. */
public final class FlowFields implements FlowVideo {
    private final float[] data;
    private final int fields;
    private final int step;
    private final int height;
    private final int width;

    /** @param data fields×2×H×W floats in pixels, owned by this object from now on (not copied) */
    public FlowFields(float[] data, int fields, int step, int height, int width) {
        Objects.requireNonNull(data, "data");
        if (fields < 0 || step < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad flow shape: " + fields + " fields, step " + step + ", "
                    + height + "x" + width);
        }
        if ((long) fields * 2 * height * width != data.length) {
            throw new IllegalArgumentException(data.length + " floats cannot hold " + fields + "x2x" + height + "x" + width);
        }
        this.data = data;
        this.fields = fields;
        this.step = step;
        this.height = height;
        this.width = width;
    }

    @Override
    public int fields() {
        return fields;
    }

    @Override
    public int step() {
        return step;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public void copy(int first, int count, float[] dst, int offset) {
        FlowVideos.checkRange(this, first, count);
        int n = 2 * height * width;
        System.arraycopy(data, first * n, dst, offset, count * n);
    }

    /** The raw fields×2×H×W floats; callers may read but must not modify them. */
    public float[] data() {
        return data;
    }

    @Override
    public String toString() {
        return "FlowFields[" + fields + "x2x" + height + "x" + width + ", step " + step + "]";
    }
}

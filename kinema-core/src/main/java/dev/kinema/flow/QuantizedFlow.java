package dev.kinema.flow;

import java.util.Objects;

/**
 * A {@link FlowVideo} held as 8-bit codes (a quarter of the floats' memory), dequantised by
 * {@link #copy}: what a {@link FlowCache} entry reads into.
 */
public final class QuantizedFlow implements FlowVideo {
    private final byte[] codes;
    private final FlowQuantizer quantizer;
    private final int fields;
    private final int step;
    private final int height;
    private final int width;

    /** @param codes fields×2×H×W codes of {@code quantizer}, owned by this object from now on */
    public QuantizedFlow(byte[] codes, FlowQuantizer quantizer, int fields, int step, int height, int width) {
        Objects.requireNonNull(codes, "codes");
        this.quantizer = Objects.requireNonNull(quantizer, "quantizer");
        if (fields < 0 || step < 1 || height < 1 || width < 1
                || (long) fields * 2 * height * width != codes.length) {
            throw new IllegalArgumentException(codes.length + " codes do not make " + fields + "x2x" + height + "x" + width
                    + " flow with step " + step);
        }
        this.codes = codes;
        this.fields = fields;
        this.step = step;
        this.height = height;
        this.width = width;
    }

    /** Quantises {@code flow} with {@code quantizer}. */
    public static QuantizedFlow of(FlowVideo flow, FlowQuantizer quantizer) {
        float[] all = FlowVideos.all(flow);
        byte[] codes = new byte[all.length];
        quantizer.quantize(all, 0, codes, 0, all.length);
        return new QuantizedFlow(codes, quantizer, flow.fields(), flow.step(), flow.height(), flow.width());
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

    public FlowQuantizer quantizer() {
        return quantizer;
    }

    @Override
    public void copy(int first, int count, float[] dst, int offset) {
        FlowVideos.checkRange(this, first, count);
        int n = 2 * height * width;
        quantizer.dequantize(codes, first * n, dst, offset, count * n);
    }

    /** The raw codes; callers may read but must not modify them. */
    byte[] codes() {
        return codes;
    }

    @Override
    public String toString() {
        return "QuantizedFlow[" + fields + "x2x" + height + "x" + width + ", step " + step + ", ±" + quantizer.bound() + " px]";
    }
}

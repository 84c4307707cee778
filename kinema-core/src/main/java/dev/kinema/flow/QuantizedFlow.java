package dev.kinema.flow;

import java.util.Objects;

/**
 * A {@link FlowVideo} held as 8-bit codes (a quarter of the floats' memory), dequantised by
 * {@link #copy}: what a {@link FlowCache} entry reads into.
 */
public final class QuantizedFlow extends AbstractFlowVideo {
    private final byte[] codes;
    private final FlowQuantizer quantizer;

    /** @param codes fields×2×H×W codes of {@code quantizer}, owned by this object from now on */
    public QuantizedFlow(byte[] codes, FlowQuantizer quantizer, int fields, int step, int height, int width) {
        super(Objects.requireNonNull(codes, "codes").length, fields, step, height, width);
        this.quantizer = Objects.requireNonNull(quantizer, "quantizer");
        this.codes = codes;
    }

    /** Quantises {@code flow} with {@code quantizer}. */
    public static QuantizedFlow of(FlowVideo flow, FlowQuantizer quantizer) {
        float[] all = FlowVideos.all(flow);
        byte[] codes = new byte[all.length];
        quantizer.quantize(all, 0, codes, 0, all.length);
        return new QuantizedFlow(codes, quantizer, flow.fields(), flow.step(), flow.height(), flow.width());
    }

    public FlowQuantizer quantizer() {
        return quantizer;
    }

    @Override
    public void copy(int first, int count, float[] dst, int offset) {
        FlowVideos.checkRange(this, first, count);
        quantizer.dequantize(codes, first * fieldSize(), dst, offset, count * fieldSize());
    }

    /** The raw codes; callers may read but must not modify them. */
    byte[] codes() {
        return codes;
    }

    @Override
    public String toString() {
        return "QuantizedFlow[" + shapeText() + ", ±" + quantizer.bound() + " px]";
    }
}

package dev.kinema.flow;

/**
 * Flow to bytes and back, the two-stream storage practice (as in denseflow and the TSN tools): clip
 * each component to ±{@code bound} pixels, then map [−bound, bound] linearly onto 0..255.
 *
 * <p>{@code q = round((clamp(v) + bound) · 255 / (2·bound))}, {@code v' = q · 2·bound / 255 − bound}.
 * For |v| ≤ bound the error is at most half a step, bound / 255 (0.078 px for the default 20 px);
 * larger motions come back as ±bound. Zero is not a code (it falls between 127 and 128), so a still
 * pixel reads back as ±bound/255.
 */
public final class FlowQuantizer {
    /** The default clipping bound, in pixels: 20, as in denseflow and TSN. */
    public static final float DEFAULT_BOUND = 20f;

    private final float bound;
    private final float toCode;
    private final float[] values = new float[256];

    public FlowQuantizer(float bound) {
        if (!(bound > 0) || Float.isInfinite(bound)) {
            throw new IllegalArgumentException("the flow bound must be a positive number of pixels, got " + bound);
        }
        this.bound = bound;
        this.toCode = 255f / (2 * bound);
        for (int q = 0; q < 256; q++) {
            values[q] = q * (2 * bound) / 255f - bound;
        }
    }

    public float bound() {
        return bound;
    }

    /** The largest error for values within ±bound: half a quantisation step. */
    public float maxError() {
        return bound / 255f;
    }

    public byte quantize(float v) {
        float c = v > bound ? bound : (v < -bound ? -bound : v);
        if (Float.isNaN(v)) {
            c = 0;
        }
        return (byte) Math.round((c + bound) * toCode);
    }

    public float dequantize(byte q) {
        return values[q & 0xff];
    }

    /** Quantises {@code n} floats of {@code src} from {@code srcOffset} into {@code dst} from {@code dstOffset}. */
    public void quantize(float[] src, int srcOffset, byte[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = quantize(src[srcOffset + i]);
        }
    }

    /** Dequantises {@code n} bytes of {@code src} from {@code srcOffset} into {@code dst} from {@code dstOffset}. */
    public void dequantize(byte[] src, int srcOffset, float[] dst, int dstOffset, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOffset + i] = values[src[srcOffset + i] & 0xff];
        }
    }
}

package dev.kinema.data.loader;

/**
 * How flow fields become network input, the two-stream paper's recipe: each field's mean
 * displacement is subtracted (a crude camera-motion compensation: Kinema-Motion shakes its camera),
 * then displacements are clipped to ±{@code bound} pixels and divided by {@code bound}, so inputs lie
 * in [-1, 1]. Pixels are those of the frames the model sees (the decode size), whatever resolution
 * the flow was computed at.
 *
 * @param bound the clipping bound in pixels, and the divisor
 * @param subtractMean whether each field's mean (dx, dy) is subtracted first
 */
public record FlowNormalization(float bound, boolean subtractMean) {
    /** ±20 px, the bound the issue and the flow cache use, with mean subtraction. */
    public static final FlowNormalization DEFAULT = new FlowNormalization(20f, true);

    public FlowNormalization {
        if (!(bound > 0) || !Float.isFinite(bound)) {
            throw new IllegalArgumentException("the flow bound must be a finite number > 0, got " + bound);
        }
    }

    /** One displacement after mean subtraction: clipped and scaled. */
    float apply(float displacement) {
        return Math.max(-bound, Math.min(bound, displacement)) / bound;
    }
}

package dev.kinema.flow;

import dev.kinema.video.FrameSize;
import java.util.Objects;

/**
 * What flow to compute: the method, the resolution (frames are decoded with their short side scaled
 * to {@code size} pixels, aspect kept, as {@link FrameSize#shortSide} does everywhere in Kinema)
 * and the step between the two frames of a field, in decoded frames.
 */
public record FlowSettings(FlowMethod method, int size, int step) {
    public FlowSettings {
        Objects.requireNonNull(method, "method");
        if (size < 8) {
            throw new IllegalArgumentException("the flow size (short side) must be at least 8 px, got " + size);
        }
        if (step < 1) {
            throw new IllegalArgumentException("the flow step must be at least 1 frame, got " + step);
        }
    }

    /** Step 1: flow between consecutive frames. */
    public static FlowSettings of(FlowMethod method, int size) {
        return new FlowSettings(method, size, 1);
    }

    public FrameSize frameSize() {
        return FrameSize.shortSide(size);
    }

    @Override
    public String toString() {
        return method.id() + " at " + size + " px, step " + step;
    }
}

package dev.kinema.video;

/**
 * The size frames are decoded to, applied in FFmpeg's scaler before a frame ever reaches Java.
 * Sizes are of the upright (rotated) picture.
 */
public sealed interface FrameSize {
    /** Keep the displayed size. */
    record Original() implements FrameSize {}

    /** Exactly width×height, ignoring the aspect ratio. */
    record Exact(int width, int height) implements FrameSize {}

    /** Shorter side becomes {@code side}, aspect ratio kept (PyTorchVideo's ShortSideScale). */
    record ShortSide(int side) implements FrameSize {}

    static FrameSize original() {
        return new Original();
    }

    static FrameSize exact(int width, int height) {
        return new Exact(width, height);
    }

    static FrameSize shortSide(int side) {
        return new ShortSide(side);
    }

    /** The {width, height} this size gives for an upright source of {@code width}×{@code height}. */
    default int[] resolve(int width, int height) {
        if (this instanceof Exact e) {
            return new int[] {e.width(), e.height()};
        }
        if (this instanceof ShortSide s) {
            // Same rounding as PyTorchVideo's short_side_scale: floor of the scaled long side.
            if (width <= height) {
                return new int[] {s.side(), (int) Math.floor((double) height * s.side() / width)};
            }
            return new int[] {(int) Math.floor((double) width * s.side() / height), s.side()};
        }
        return new int[] {width, height};
    }
}

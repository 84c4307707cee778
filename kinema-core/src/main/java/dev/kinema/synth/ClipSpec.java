package dev.kinema.synth;

/**
 * The format of one rendered clip: frame size, frame rate and frame count.
 *
 * <p>Frame {@code i} shows the scene at time {@link #time(int) (i + 0.5) / fps}, the middle of the
 * interval during which it is displayed. Because of that, playing a clip backwards maps frame
 * {@code i} onto frame {@code frames - 1 - i} exactly, which the time-reversed motion classes rely on.
 */
public record ClipSpec(int width, int height, double fps, int frames) {
    public ClipSpec {
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("clip size must be even and at least 16x16, got " + width + "x" + height);
        }
        if (!(fps >= 1 && fps <= 240)) {
            throw new IllegalArgumentException("fps must be in [1, 240], got " + fps);
        }
        if (frames < 1) {
            throw new IllegalArgumentException("a clip needs at least one frame, got " + frames);
        }
    }

    /** A clip of {@code seconds} (rounded to whole frames, at least one). */
    public static ClipSpec ofSeconds(int width, int height, double fps, double seconds) {
        return new ClipSpec(width, height, fps, Math.max(1, (int) Math.round(seconds * fps)));
    }

    /** Length in seconds: {@code frames / fps}. */
    public double duration() {
        return frames / fps;
    }

    /** Scene time shown by frame {@code i}. */
    public double time(int i) {
        return (i + 0.5) / fps;
    }

    /** Width over height: the world is {@code aspect()} units wide and 1 unit high. */
    public double aspect() {
        return width / (double) height;
    }
}

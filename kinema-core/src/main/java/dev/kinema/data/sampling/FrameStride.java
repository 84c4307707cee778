package dev.kinema.data.sampling;

/**
 * The temporal step between a clip's consecutive frames: either a fixed number of source frames
 * (MMAction2's {@code frame_interval}, PySlowFast's {@code sampling_rate}) or a target frame rate,
 * from which the step follows for each video's own frame rate.
 *
 * <p>Rounding for a target rate: {@code stride = max(1, round(sourceFps / targetFps))}, with halves
 * rounded up ({@link Math#round(double)}). So 30 fps to 5 fps gives 6; 29.97 to 5 gives 6 (5.994);
 * 25 to 10 gives 3 (2.5 rounds up); and a target above the source rate gives 1, since sampling never
 * invents frames. This is a deliberate difference from MMAction2 1.x {@code SampleFrames(target_fps=...)},
 * which spreads {@code clip_len} indices over a fractional span with {@code np.linspace}: an integer
 * stride keeps a clip's frames evenly spaced in the source.
 */
public final class FrameStride {
    private final int frames;
    private final double targetFps;

    private FrameStride(int frames, double targetFps) {
        this.frames = frames;
        this.targetFps = targetFps;
    }

    /** A fixed step of {@code frames} source frames (1 = every frame). */
    public static FrameStride ofFrames(int frames) {
        if (frames < 1) {
            throw new IllegalArgumentException("frame stride must be >= 1 (got " + frames + ")");
        }
        return new FrameStride(frames, Double.NaN);
    }

    /** The step that resamples each video to {@code targetFps}, rounded as described above. */
    public static FrameStride ofTargetFps(double targetFps) {
        if (!(targetFps > 0) || Double.isInfinite(targetFps)) {
            throw new IllegalArgumentException("target fps must be a finite number > 0 (got " + targetFps + ")");
        }
        return new FrameStride(0, targetFps);
    }

    /** True when this stride was given as a target frame rate. */
    public boolean isTargetFps() {
        return frames == 0;
    }

    /** The target frame rate, or NaN for a fixed stride. */
    public double targetFps() {
        return targetFps;
    }

    /** The step in source frames for a video shown at {@code sourceFps}. */
    public int resolve(double sourceFps) {
        if (!isTargetFps()) {
            return frames;
        }
        long s = Math.round(sourceFps / targetFps);
        return (int) Math.max(1, Math.min(s, Integer.MAX_VALUE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FrameStride f && f.frames == frames && Double.compare(f.targetFps, targetFps) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * frames + Double.hashCode(targetFps);
    }

    @Override
    public String toString() {
        return isTargetFps() ? "targetFps=" + targetFps : "stride=" + frames;
    }
}

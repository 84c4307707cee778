package dev.kinema.data.sampling;

/**
 * The duration of a time-window sampler's window: given in seconds, or else the span of
 * {@code clipLen} frames {@code stride} apart, {@code clipLen * stride / fps} (PyTorchVideo's
 * Kinetics recipe, {@code clip_duration = num_frames * sampling_rate / frames_per_second}).
 */
final class WindowLength {
    private WindowLength() {}

    static Double check(Double windowSeconds) {
        if (windowSeconds != null) {
            TemporalIndex.requirePositive("windowSeconds", windowSeconds);
        }
        return windowSeconds;
    }

    static double resolve(Double windowSeconds, int clipLen, FrameStride stride, VideoTimeline video) {
        if (windowSeconds != null) {
            return windowSeconds;
        }
        return clipLen * (double) stride.resolve(video.fps()) / video.fps();
    }

    static String describe(Double windowSeconds, FrameStride stride) {
        return windowSeconds != null ? "window=" + windowSeconds + "s" : "window=clipLen*stride/fps, " + stride;
    }
}

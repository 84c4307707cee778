package dev.kinema.data.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Windows of {@code window} seconds every {@code hop} seconds across an untrimmed video, for
 * dense prediction or localisation; each window's frames subsampled to {@code clipLen}. Deterministic.
 *
 * <p>Follows PyTorchVideo 0.1.x {@code UniformClipSampler(clip_duration, stride, backpad_last)}.
 * Window {@code k} is {@code [k * hop, k * hop + window)}; a further window is taken while it still
 * ends within the video, so without {@code backpad} the tail after the last whole window is dropped
 * (except that a video shorter than one window still yields that one window). With {@code backpad},
 * a window that would run past the end is pulled back to end exactly at the video's end (its start
 * clamped at 0), and sampling stops once that end-aligned window has been taken. PyTorchVideo's own
 * example, 39 frames at 30 fps with a 32-frame window and a 16-frame hop: without backpad one window,
 * frames 0..31; with backpad a second, pulled back from [16, 48) to frames 7..38.
 *
 * <p>Deliberate differences: PyTorchVideo does this arithmetic in exact fractions and is called once
 * per clip; Kinema uses doubles with a 1e-9 s tolerance on "ends within the video" (PyTorchVideo's own
 * 1e-6 s on the backpad stop) and returns all windows at once. Frames of a window are picked by
 * {@link TemporalIndex#windowFrames}.
 */
public final class SlidingWindowSampler implements ClipSampler {
    /** Most windows one video may produce; guards against a tiny hop on a long video. */
    public static final int MAX_WINDOWS = 1_000_000;
    private static final double TIME_EPS = 1e-9;
    private static final double BACKPAD_EPS = 1e-6;

    private final int clipLen;
    private final FrameStride stride;
    private final Double windowSeconds;
    private final Double hopSeconds;
    private final boolean backpad;

    /**
     * @param windowSeconds window length, or null for {@code clipLen * stride / fps}
     * @param hopSeconds seconds between window starts, at most the window; null for the window length
     */
    public SlidingWindowSampler(int clipLen, FrameStride stride, Double windowSeconds, Double hopSeconds, boolean backpad) {
        this.clipLen = TemporalIndex.requireAtLeast("clipLen", clipLen, 1);
        if (stride == null) {
            throw new IllegalArgumentException("stride must not be null");
        }
        this.stride = stride;
        this.windowSeconds = WindowLength.check(windowSeconds);
        if (hopSeconds != null) {
            TemporalIndex.requirePositive("strideSeconds", hopSeconds);
            if (windowSeconds != null && hopSeconds > windowSeconds) {
                throw new IllegalArgumentException("strideSeconds (" + hopSeconds
                        + ") must not exceed windowSeconds (" + windowSeconds + "), as in PyTorchVideo");
            }
        }
        this.hopSeconds = hopSeconds;
        this.backpad = backpad;
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        double window = WindowLength.resolve(windowSeconds, clipLen, stride, video);
        double hop = hopSeconds != null ? hopSeconds : window;
        if (hop > window + TIME_EPS) {
            throw new IllegalArgumentException("strideSeconds (" + hop
                    + ") must not exceed the window (" + window + " s), as in PyTorchVideo");
        }
        double duration = video.durationSeconds();
        if (duration / hop > MAX_WINDOWS) {
            throw new IllegalArgumentException("strideSeconds " + hop + " is too small for a " + duration
                    + " s video: more than " + MAX_WINDOWS + " windows");
        }
        List<SampledClip> out = new ArrayList<>();
        double lastEnd = 0;
        while (true) {
            double[] cur = window(lastEnd, window, hop, duration);
            double[] next = window(cur[1], window, hop, duration);
            boolean last = backpad ? Math.abs(next[1] - cur[1]) < BACKPAD_EPS : next[1] > duration + TIME_EPS;
            out.add(new SampledClip(out.size(), TemporalIndex.windowFrames(video, cur[0], cur[1], clipLen), cur[0], cur[1]));
            if (last || out.size() > MAX_WINDOWS) {
                return List.copyOf(out);
            }
            lastEnd = cur[1];
        }
    }

    /** The window that follows one ending at {@code lastEnd}, back-padded if asked. */
    private double[] window(double lastEnd, double window, double hop, double duration) {
        double start = Math.max(lastEnd - Math.max(0, window - hop), 0);
        double end = start + window;
        if (backpad) {
            start = Math.max(0, start - Math.max(0, end - duration));
            end = start + window;
        }
        return new double[] {start, end};
    }

    @Override
    public boolean isRandom() {
        return false;
    }

    @Override
    public String toString() {
        return "SlidingWindowSampler[clipLen=" + clipLen + ", " + WindowLength.describe(windowSeconds, stride)
                + ", hop=" + (hopSeconds == null ? "window" : hopSeconds + "s") + ", backpad=" + backpad + "]";
    }
}

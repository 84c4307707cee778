package dev.kinema.data.sampling;

import dev.kinema.video.VideoInfo;

/**
 * What a clip sampler needs to know about a video: how many frames it has and at what rate they
 * are shown. Frame {@code i} is presented at {@code i / fps} seconds, so the video lasts
 * {@code frames / fps} seconds.
 *
 * @param frames number of decodable video frames, at least 1
 * @param fps average frame rate, finite and &gt; 0
 */
public record VideoTimeline(int frames, double fps) {

    public VideoTimeline {
        if (frames < 1) {
            throw new IllegalArgumentException("a video needs at least 1 frame (got " + frames + ")");
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("fps must be a finite number > 0 (got " + fps + ")");
        }
    }

    /** The video's duration in seconds: {@code frames / fps}. */
    public double durationSeconds() {
        return frames / fps;
    }

    /** Presentation time of frame {@code index}, in seconds. */
    public double secondsOf(long frameIndex) {
        return frameIndex / fps;
    }

    /** The timeline of a probed file. */
    public static VideoTimeline of(VideoInfo info) {
        if (info.frames() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("video has too many frames to sample: " + info.frames());
        }
        return new VideoTimeline((int) info.frames(), info.fps());
    }
}

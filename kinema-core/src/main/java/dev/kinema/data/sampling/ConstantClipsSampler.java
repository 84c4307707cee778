package dev.kinema.data.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A fixed number of clips per video, whatever its length: {@code clipsPerVideo} windows whose starts
 * divide the room for a start into equal steps, each window's frames then subsampled to
 * {@code clipLen}. Deterministic.
 *
 * <p>Follows PyTorchVideo 0.1.x {@code ConstantClipsPerVideoSampler} ({@code augs_per_clip=1}): with
 * window {@code D} seconds and video {@code T} seconds, {@code room = max(T - D, 0)} and clip
 * {@code i} is {@code [i * room / K, i * room / K + D)} for {@code i = 0..K-1}. Note the divisor is
 * {@code K}, not {@code K - 1}: the last window starts at {@code (K - 1) / K * room} and so stops short
 * of the video's end. A video shorter than the window yields {@code K} identical clips of all its
 * frames. Frames of a window are picked by {@link TemporalIndex#windowFrames}.
 *
 * <p>Deliberate difference: PyTorchVideo's sampler is a stateful iterator called once per clip;
 * this one returns all {@code K} clips at once. Spatial augmentation copies ({@code augs_per_clip}) are
 * not a temporal concern and are left to the transforms.
 */
public final class ConstantClipsSampler implements ClipSampler {
    private final int clipLen;
    private final FrameStride stride;
    private final Double windowSeconds;
    private final int clipsPerVideo;

    /** @param windowSeconds window length, or null for {@code clipLen * stride / fps} */
    public ConstantClipsSampler(int clipLen, FrameStride stride, Double windowSeconds, int clipsPerVideo) {
        this.clipLen = TemporalIndex.requireAtLeast("clipLen", clipLen, 1);
        if (stride == null) {
            throw new IllegalArgumentException("stride must not be null");
        }
        this.stride = stride;
        this.windowSeconds = WindowLength.check(windowSeconds);
        this.clipsPerVideo = TemporalIndex.requireAtLeast("clipsPerVideo", clipsPerVideo, 1);
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        double window = WindowLength.resolve(windowSeconds, clipLen, stride, video);
        double room = Math.max(video.durationSeconds() - window, 0);
        double step = room / clipsPerVideo;
        List<SampledClip> out = new ArrayList<>(clipsPerVideo);
        for (int i = 0; i < clipsPerVideo; i++) {
            double start = step * i;
            double end = start + window;
            out.add(new SampledClip(i, TemporalIndex.windowFrames(video, start, end, clipLen), start, end));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean isRandom() {
        return false;
    }

    @Override
    public String toString() {
        return "ConstantClipsSampler[clipLen=" + clipLen + ", " + WindowLength.describe(windowSeconds, stride)
                + ", clipsPerVideo=" + clipsPerVideo + "]";
    }
}

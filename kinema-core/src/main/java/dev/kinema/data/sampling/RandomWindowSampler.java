package dev.kinema.data.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A window placed uniformly at random in continuous time, its frames subsampled to
 * {@code clipLen}: PyTorchVideo's training sampler.
 *
 * <p>Follows PyTorchVideo 0.1.x {@code RandomClipSampler} (and, for {@code numClips > 1},
 * {@code RandomMultiClipSampler}, which draws that many independent windows): with window {@code D}
 * seconds and video {@code T} seconds, the start is {@code U[0, max(T - D, 0)]} and the clip is
 * {@code [start, start + D)}.
 * Frames of the window are picked by {@link TemporalIndex#windowFrames} (then
 * {@code UniformTemporalSubsample(clipLen)}), so a video shorter than the window gives all its frames,
 * repeated as needed. Deliberate difference: the start is drawn from the caller's generator (Python's
 * {@code random.uniform} draws from the global generator).
 */
public final class RandomWindowSampler implements ClipSampler {
    private final int clipLen;
    private final FrameStride stride;
    private final Double windowSeconds;
    private final int numClips;

    /** @param windowSeconds window length, or null for {@code clipLen * stride / fps} */
    public RandomWindowSampler(int clipLen, FrameStride stride, Double windowSeconds, int numClips) {
        this.clipLen = TemporalIndex.requireAtLeast("clipLen", clipLen, 1);
        if (stride == null) {
            throw new IllegalArgumentException("stride must not be null");
        }
        this.stride = stride;
        this.windowSeconds = WindowLength.check(windowSeconds);
        this.numClips = TemporalIndex.requireAtLeast("numClips", numClips, 1);
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        if (rng == null) {
            throw new IllegalArgumentException("a training-mode sampler needs a random generator");
        }
        double window = WindowLength.resolve(windowSeconds, clipLen, stride, video);
        double room = Math.max(video.durationSeconds() - window, 0);
        List<SampledClip> out = new ArrayList<>(numClips);
        for (int i = 0; i < numClips; i++) {
            double start = room * rng.nextDouble();
            double end = start + window;
            out.add(new SampledClip(i, TemporalIndex.windowFrames(video, start, end, clipLen), start, end));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    public String toString() {
        return "RandomWindowSampler[clipLen=" + clipLen + ", " + WindowLength.describe(windowSeconds, stride)
                + ", numClips=" + numClips + "]";
    }
}

package dev.kinema.data.sampling;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Temporal Segment Network sampling: split the video into {@code segments} equal segments and take a
 * snippet of {@code snippetLen} frames ({@code stride} apart; usually one frame) from each, at a random
 * place in training and at the segment's centre in testing. The snippets together form one input, so
 * the result holds {@code segments} clips (twice that with {@code twiceSample}).
 *
 * <p>Follows TSN as MMAction2 1.x expresses it, {@code SampleFrames(clip_len=1, num_clips=segments)}
 * (the TSN/TSM configs' {@code 1x1x8}):
 * <ul>
 *   <li><b>Train</b>: exactly {@link SampleFramesSampler}'s training rule with {@code K = segments}:
 *       with {@code avg = floor((N - L * s + 1) / K)} &gt; 0, segment {@code i} contributes the snippet
 *       starting at {@code i * avg + U[0, avg)}; shorter videos fall back as MMAction2 does (sorted
 *       random starts, then {@code round(i * (N - L * s + 1) / K)}, then zeros) and loop.</li>
 *   <li><b>Test</b>: with {@code avg = N / K} as a real number, segment {@code i}'s snippet starts at
 *       {@code trunc(i * avg + avg / 2)}; with {@code twiceSample} the starts {@code trunc(i * avg)}
 *       follow as {@code K} more snippets (TSM's "twice sample").</li>
 * </ul>
 *
 * <p>For {@code snippetLen == 1} this equals MMAction2 1.x {@code SampleFrames} in both modes, index for
 * index. Deliberate difference for {@code snippetLen > 1} in test mode: MMAction2 switches to its "3D"
 * rule there (clip starts spread from the first to the last frame, see {@link SampleFramesSampler}),
 * which no longer samples segment centres; Kinema keeps the TSN rule and starts each snippet at its
 * segment's centre (TSN's original multi-frame snippets, e.g. optical-flow stacks).
 */
public final class TsnSegmentSampler implements ClipSampler {
    private final int segments;
    private final int snippetLen;
    private final FrameStride stride;
    private final boolean testMode;
    private final boolean twiceSample;

    public TsnSegmentSampler(int segments, int snippetLen, FrameStride stride, boolean testMode, boolean twiceSample) {
        this.segments = TemporalIndex.requireAtLeast("segments", segments, 1);
        this.snippetLen = TemporalIndex.requireAtLeast("snippetLen", snippetLen, 1);
        if (stride == null) {
            throw new IllegalArgumentException("stride must not be null");
        }
        this.stride = stride;
        if (twiceSample && !testMode) {
            throw new IllegalArgumentException("twiceSample applies to test mode only");
        }
        this.testMode = testMode;
        this.twiceSample = twiceSample;
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        int n = video.frames();
        int s = stride.resolve(video.fps());
        long[] offsets;
        if (testMode) {
            offsets = SampleFramesSampler.segmentCentres(n, segments, twiceSample);
        } else {
            if (rng == null) {
                throw new IllegalArgumentException("a training-mode sampler needs a random generator");
            }
            offsets = SampleFramesSampler.trainOffsets(n, (long) snippetLen * s, segments, rng);
        }
        return SampleFramesSampler.clips(video, offsets, snippetLen, s);
    }

    @Override
    public boolean isRandom() {
        return !testMode;
    }

    @Override
    public String toString() {
        return "TsnSegmentSampler[segments=" + segments + ", snippetLen=" + snippetLen + ", " + stride
                + ", testMode=" + testMode + (twiceSample ? ", twiceSample" : "") + "]";
    }
}

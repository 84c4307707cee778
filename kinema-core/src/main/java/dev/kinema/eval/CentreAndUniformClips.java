package dev.kinema.eval;

import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.SampledClip;
import dev.kinema.data.sampling.VideoTimeline;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Test clips for one pass over a video: clip 0 is the single centre clip (clip-level accuracy),
 * clips 1..K the K uniformly spaced ones (video-level accuracy). With K = 1 the two are the same
 * clip, so it is decoded once.
 */
final class CentreAndUniformClips implements ClipSampler {
    private final ClipSampler centre;
    private final ClipSampler uniform;

    /** @param uniform the K-clip sampler, or null when K = 1 */
    CentreAndUniformClips(ClipSampler centre, ClipSampler uniform) {
        this.centre = centre;
        this.uniform = uniform;
    }

    /** The clips that make the video's average: 1..K, or the centre clip when K = 1. */
    boolean inAverage(int clipIndex) {
        return uniform == null || clipIndex > 0;
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        List<SampledClip> out = new ArrayList<>(centre.sample(video, rng));
        if (uniform != null) {
            for (SampledClip c : uniform.sample(video, rng)) {
                out.add(new SampledClip(out.size(), c.frameIndices(), c.startSeconds(), c.endSeconds()));
            }
        }
        return out;
    }

    @Override
    public boolean isRandom() {
        return false;
    }
}

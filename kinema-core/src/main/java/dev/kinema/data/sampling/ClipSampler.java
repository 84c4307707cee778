package dev.kinema.data.sampling;

import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Chooses the clips to take from one video: the temporal half of video data loading.
 *
 * <p>Every sampler is immutable and thread-safe; all randomness comes from the generator passed in,
 * so the same seed gives the same clips. Deterministic (test-mode) samplers ignore the generator.
 * Create samplers by mode name with {@link ClipSamplers#builder()}.
 */
public interface ClipSampler {

    /**
     * Chooses clips from {@code video}.
     *
     * @param rng source of randomness; ignored by deterministic samplers, which also accept null
     * @return the clips, in the order the followed peer produces them, each with {@code index} equal
     *     to its position in the list; never empty
     */
    List<SampledClip> sample(VideoTimeline video, RandomGenerator rng);

    /** {@link #sample(VideoTimeline, RandomGenerator)} with a {@link SplittableRandom} seeded by {@code seed}. */
    default List<SampledClip> sample(VideoTimeline video, long seed) {
        return sample(video, new SplittableRandom(seed));
    }

    /** True when {@link #sample} uses its generator (training-mode samplers). */
    boolean isRandom();
}

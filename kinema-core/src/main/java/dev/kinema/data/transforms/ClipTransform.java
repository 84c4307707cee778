package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.Objects;
import java.util.Random;

/**
 * A spatial transform of a whole clip: every frame gets the same crop, flip or resize, so motion
 * stays consistent across time. Transforms never modify their input; they return new
 * {@link VideoFrames} (through {@link VideoFrames#withPixels}) that keep each frame's source index
 * and timestamp.
 *
 * <p>Random choices come only from the {@code rng} argument, so a pipeline is deterministic given
 * the seed of that {@link Random}. Deterministic transforms ignore it (it may be {@code null} for
 * them).
 *
 * <p>Use one {@link Random} stream for many clips, or seed per-clip generators with well-mixed
 * seeds (e.g. from {@link java.util.SplittableRandom}): {@code new Random(0)}, {@code new Random(1)},
 * ... all return almost the same first {@code nextDouble()} (about 0.73), so a
 * {@code Flip.horizontal(0.5)} seeded that way would never flip.
 */
@FunctionalInterface
public interface ClipTransform {
    VideoFrames apply(VideoFrames clip, Random rng);

    /** This transform, then {@code next}. */
    default ClipTransform andThen(ClipTransform next) {
        Objects.requireNonNull(next, "next");
        return (clip, rng) -> next.apply(apply(clip, rng), rng);
    }

    /** The transform that returns its input. */
    static ClipTransform identity() {
        return (clip, rng) -> clip;
    }
}

package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.List;
import java.util.Random;

/**
 * A pipeline of transforms applied in order, all drawing from the same {@link Random}.
 *
 * <pre>{@code
 * ClipTransform train = Compose.of(
 *         Resize.shortSide(128),
 *         Crop.random(112),
 *         Flip.horizontal(0.5));
 * VideoFrames out = train.apply(clip, new Random(seed));
 * }</pre>
 */
public record Compose(List<ClipTransform> steps) implements ClipTransform {
    public Compose {
        steps = List.copyOf(steps);
    }

    public static Compose of(ClipTransform... steps) {
        return new Compose(List.of(steps));
    }

    @Override
    public VideoFrames apply(VideoFrames clip, Random rng) {
        VideoFrames out = clip;
        for (ClipTransform step : steps) {
            out = step.apply(out, rng);
        }
        return out;
    }
}

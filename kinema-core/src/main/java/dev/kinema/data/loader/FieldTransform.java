package dev.kinema.data.loader;

import dev.kinema.data.transforms.ClipTransform;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * A transform of some named fields of a {@link Clip}; the fields it does not name pass through.
 * A geometric transform names every field with a geometry (frames, flow, boxes) and draws its
 * randomness once per clip, so they stay aligned ({@link SpatialAugment}); a photometric one names
 * the frames only ({@link #frames}, which lifts any {@code data.transforms} {@link ClipTransform}).
 *
 * <p>Randomness comes only from the {@code rng} argument, as for {@link ClipTransform}: the loader
 * gives each video a generator derived from (seed, epoch, video), so epochs are reproducible.
 */
public interface FieldTransform {
    /** The fields this transform may change. */
    Set<Clip.Field> fields();

    /** The transformed clip; {@code rng} may be null for deterministic transforms. */
    Clip apply(Clip clip, Random rng);

    /** The frames-only transform that applies {@code transform} to a clip's frames (if it has any). */
    static FieldTransform frames(ClipTransform transform) {
        Objects.requireNonNull(transform, "transform");
        return new FieldTransform() {
            @Override
            public Set<Clip.Field> fields() {
                return EnumSet.of(Clip.Field.FRAMES);
            }

            @Override
            public Clip apply(Clip clip, Random rng) {
                return clip.frames() == null ? clip : clip.withFrames(transform.apply(clip.frames(), rng));
            }

            @Override
            public String toString() {
                return "frames: " + transform;
            }
        };
    }

    /** {@code steps} in order, all drawing from one generator; nulls are skipped. */
    static FieldTransform compose(FieldTransform... steps) {
        List<FieldTransform> kept = new ArrayList<>();
        for (FieldTransform s : steps) {
            if (s != null) {
                kept.add(s);
            }
        }
        return new Pipeline(kept);
    }

    /** Transforms applied in order: one place where a clip's transforms are composed. */
    record Pipeline(List<FieldTransform> steps) implements FieldTransform {
        public Pipeline {
            steps = List.copyOf(steps);
        }

        @Override
        public Set<Clip.Field> fields() {
            Set<Clip.Field> out = EnumSet.noneOf(Clip.Field.class);
            steps.forEach(s -> out.addAll(s.fields()));
            return out;
        }

        @Override
        public Clip apply(Clip clip, Random rng) {
            Clip out = clip;
            for (FieldTransform step : steps) {
                out = step.apply(out, rng);
            }
            return out;
        }
    }
}

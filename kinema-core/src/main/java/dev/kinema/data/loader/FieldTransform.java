package dev.kinema.data.loader;

import dev.kinema.data.transforms.ClipTransform;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.BiFunction;

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
        return of("frames: " + transform, EnumSet.of(Clip.Field.FRAMES),
                (clip, rng) -> clip.frames() == null ? clip : clip.withFrames(transform.apply(clip.frames(), rng)));
    }

    /** This transform, then {@code next}, drawing from the same generator. */
    default FieldTransform andThen(FieldTransform next) {
        Objects.requireNonNull(next, "next");
        Set<Clip.Field> both = EnumSet.noneOf(Clip.Field.class);
        both.addAll(fields());
        both.addAll(next.fields());
        return of(this + ", " + next, both, (clip, rng) -> next.apply(apply(clip, rng), rng));
    }

    /**
     * {@code steps} in order, all drawing from one generator; nulls are skipped. The one place a
     * clip's transforms are composed.
     */
    static FieldTransform compose(FieldTransform... steps) {
        FieldTransform out = null;
        for (FieldTransform s : steps) {
            if (s != null) {
                out = out == null ? s : out.andThen(s);
            }
        }
        return out != null ? out : identity();
    }

    /** The transform that changes nothing. */
    static FieldTransform identity() {
        return of("identity", EnumSet.noneOf(Clip.Field.class), (clip, rng) -> clip);
    }

    /** A transform of {@code fields} by {@code function}, called {@code name}. */
    static FieldTransform of(String name, Set<Clip.Field> fields, BiFunction<Clip, Random, Clip> function) {
        return new Of(name, fields, function);
    }

    /** See {@link #of}. */
    record Of(String name, Set<Clip.Field> fields, BiFunction<Clip, Random, Clip> function) implements FieldTransform {
        public Of {
            fields = Set.copyOf(fields);
        }

        @Override
        public Clip apply(Clip clip, Random rng) {
            return function.apply(clip, rng);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}

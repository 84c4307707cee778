package dev.kinema.data.loader;

import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

/**
 * The crop and flip of a clip, drawn once per clip and applied to its frames, its flow and its boxes,
 * so frames and flow fields of a two-stream clip are cut from the same window. A horizontal flip
 * mirrors every frame and flow plane, negates the horizontal flow channel (a point moving right moves
 * left in the mirror) and mirrors the boxes. The window and the flip come from
 * {@link Crop#offset} and {@link Flip#draw}, so on frames this is exactly
 * {@code Compose.of(Crop.random(size), Flip.horizontal(p))} (or {@code Crop.center}).
 *
 * @param size crop side in pixels, or 0 for no crop
 * @param randomCrop a random window (training) rather than the centre one
 * @param flipProbability probability of a horizontal flip per clip
 */
public record SpatialAugment(int size, boolean randomCrop, double flipProbability) implements FieldTransform {
    public SpatialAugment {
        if (size < 0) {
            throw new IllegalArgumentException("crop size must be >= 0, got " + size);
        }
        if (!(flipProbability >= 0 && flipProbability <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
        }
    }

    /** No crop and no flip: clips keep the decoded size (evaluation crops them itself). */
    public static SpatialAugment none() {
        return new SpatialAugment(0, false, 0);
    }

    /** Training: a random {@code size}×{@code size} window, flipped with probability {@code flip}. */
    public static SpatialAugment random(int size, double flip) {
        return new SpatialAugment(size, true, flip);
    }

    /** The centred {@code size}×{@code size} window (PyTorchVideo's centre, as {@code Crop.center}). */
    public static SpatialAugment center(int size) {
        return new SpatialAugment(size, false, 0);
    }

    @Override
    public Set<Clip.Field> fields() {
        return EnumSet.of(Clip.Field.FRAMES, Clip.Field.FLOW, Clip.Field.BOXES);
    }

    /**
     * Cuts one window from the frames, the flow and the boxes of {@code clip} and mirrors them all or
     * none. Draws from {@code rng} in a fixed order: crop row, crop column, flip (the order of
     * {@code Compose.of(Crop.random(size), Flip.horizontal(p))}, which this matches on frames).
     */
    @Override
    public Clip apply(Clip clip, Random rng) {
        int height = clip.height();
        int width = clip.width();
        int h = size == 0 ? height : size;
        int w = size == 0 ? width : size;
        int[] yx = (randomCrop ? Crop.random(h, w) : Crop.center(h, w)).offset(height, width, rng);
        boolean flip = Flip.horizontal(flipProbability).draw(rng);
        if (!flip && h == height && w == width) {
            return clip;
        }
        return clip.cut(yx[0], yx[1], h, w, flip);
    }
}

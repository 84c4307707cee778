package dev.kinema.data.loader;

import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import dev.kinema.io.FloatTensor;
import dev.kinema.video.VideoFrames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
        int y = yx[0];
        int x = yx[1];
        VideoFrames frames = clip.frames();
        if (frames != null) {
            frames = Crop.crop(frames, y, x, h, w);
            frames = flip ? Flip.mirror(frames) : frames;
        }
        FloatTensor flow = clip.flow() == null ? null : cutFlow(clip.flow(), y, x, h, w, flip);
        List<Clip.Box> boxes = new ArrayList<>(clip.boxes().size());
        for (Clip.Box b : clip.boxes()) {
            float x1 = Math.max(0, Math.min(w, b.x1() - x));
            float x2 = Math.max(0, Math.min(w, b.x2() - x));
            float y1 = Math.max(0, Math.min(h, b.y1() - y));
            float y2 = Math.max(0, Math.min(h, b.y2() - y));
            if (x2 > x1 && y2 > y1) {
                boxes.add(flip ? new Clip.Box(b.frame(), w - x2, y1, w - x1, y2, b.label())
                        : new Clip.Box(b.frame(), x1, y1, x2, y2, b.label()));
            }
        }
        return new Clip(frames, flow, clip.audio(), boxes, clip.segments(), clip.text(), clip.source());
    }

    /**
     * The h×w window at (y, x) of every plane of 2×L×H×W flow, mirrored and its horizontal
     * channel negated when {@code flip}: a point moving right moves left in the mirror.
     */
    private static FloatTensor cutFlow(FloatTensor flow, int y, int x, int h, int w, boolean flip) {
        long[] shape = flow.shape();
        int planes = Math.toIntExact(shape[0] * shape[1]);
        int fields = Math.toIntExact(shape[1]);
        int height = Math.toIntExact(shape[2]);
        int width = Math.toIntExact(shape[3]);
        float[] in = flow.data();
        float[] out = new float[planes * h * w];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            float sign = flip && p < fields ? -1f : 1f;
            int plane = p * height * width;
            for (int r = 0; r < h; r++) {
                int row = plane + (y + r) * width + x;
                if (flip) {
                    for (int k = 0; k < w; k++) {
                        out[o++] = sign * in[row + w - 1 - k];
                    }
                } else {
                    System.arraycopy(in, row, out, o, w);
                    o += w;
                }
            }
        }
        return new FloatTensor(new long[] {shape[0], shape[1], h, w}, out);
    }
}

package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.Random;

/** Horizontal (left-right) mirror of every frame, always or with a probability per clip. */
public final class Flip implements ClipTransform {
    private final double probability;

    private Flip(double probability) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("probability must be in [0, 1], got " + probability);
        }
        this.probability = probability;
    }

    /** Flips every clip. */
    public static Flip horizontal() {
        return new Flip(1);
    }

    /** Flips a clip with probability {@code p} (one draw per clip, so all its frames agree). */
    public static Flip horizontal(double p) {
        return new Flip(p);
    }

    @Override
    public VideoFrames apply(VideoFrames clip, Random rng) {
        return draw(rng) ? mirror(clip) : clip;
    }

    /**
     * Whether this clip is flipped: always, never, or one draw from {@code rng}. Transforms that
     * mirror several fields of a clip (frames, flow, boxes) draw it here once.
     */
    public boolean draw(Random rng) {
        if (probability >= 1) {
            return true;
        }
        if (probability <= 0) {
            return false;
        }
        if (rng == null) {
            throw new IllegalArgumentException("a random flip needs a Random");
        }
        return rng.nextDouble() < probability;
    }

    /** Every frame mirrored left to right. */
    public static VideoFrames mirror(VideoFrames clip) {
        int c = VideoFrames.CHANNELS;
        int w = clip.width();
        byte[] src = clip.rgb();
        byte[] dst = new byte[src.length];
        int rows = clip.frames() * clip.height();
        for (int r = 0; r < rows; r++) {
            int base = r * w * c;
            for (int x = 0; x < w; x++) {
                int s = base + x * c;
                int d = base + (w - 1 - x) * c;
                dst[d] = src[s];
                dst[d + 1] = src[s + 1];
                dst[d + 2] = src[s + 2];
            }
        }
        return clip.withPixels(dst, clip.height(), w);
    }

    @Override
    public String toString() {
        return "Flip[p=" + probability + "]";
    }
}

package dev.kinema.data.transforms;

import dev.kinema.video.FrameSize;
import dev.kinema.video.VideoFrames;
import java.util.Objects;
import java.util.Random;

/**
 * Bilinear resize of already-decoded frames.
 *
 * <p>When frames come straight from a file, prefer resizing in the decoder
 * ({@code ReaderOptions.builder().optSize(FrameSize.shortSide(n))}): FFmpeg's scaler does it before
 * the frame reaches Java. This transform is for frames that are already in memory, e.g. the random
 * rescale of a training pipeline or the resize that follows {@link MultiScaleCrop}.
 *
 * <p>Sampling follows PyTorch's {@code interpolate(mode="bilinear", align_corners=False)} and
 * OpenCV's {@code INTER_LINEAR}: pixel centres at half-integers, source coordinates clamped at the
 * border, results rounded to the nearest integer. There is <b>no antialiasing</b>: a large
 * downscale (more than 2×) skips source pixels and can alias, exactly as PyTorch's default
 * {@code antialias=False} does. Downscale in the decoder, or in steps, when that matters.
 */
public final class Resize implements ClipTransform {
    private final FrameSize size;

    private Resize(FrameSize size) {
        this.size = Objects.requireNonNull(size, "size");
    }

    /**
     * Shorter side becomes {@code side}, aspect ratio kept, with the output size of
     * {@link FrameSize.ShortSide#resolve} (PyTorchVideo's {@code short_side_scale}: the long side is
     * floored).
     */
    public static Resize shortSide(int side) {
        if (side <= 0) {
            throw new IllegalArgumentException("side must be positive, got " + side);
        }
        return new Resize(FrameSize.shortSide(side));
    }

    /** Exactly {@code width}×{@code height}, ignoring the aspect ratio. */
    public static Resize exact(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + width + "x" + height);
        }
        return new Resize(FrameSize.exact(width, height));
    }

    public FrameSize size() {
        return size;
    }

    @Override
    public VideoFrames apply(VideoFrames clip, Random rng) {
        int[] wh = size.resolve(clip.width(), clip.height());
        return bilinear(clip, wh[1], wh[0]);
    }

    /** {@code clip} resized to {@code newHeight}×{@code newWidth}; the input itself when the size is unchanged. */
    public static VideoFrames bilinear(VideoFrames clip, int newHeight, int newWidth) {
        if (newHeight <= 0 || newWidth <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + newWidth + "x" + newHeight);
        }
        int h = clip.height();
        int w = clip.width();
        if (newHeight == h && newWidth == w) {
            return clip;
        }
        Axis ax = new Axis(w, newWidth);
        Axis ay = new Axis(h, newHeight);
        byte[] src = clip.rgb();
        int c = VideoFrames.CHANNELS;
        byte[] dst = new byte[clip.frames() * newHeight * newWidth * c];
        int rowBytes = w * c;
        int o = 0;
        for (int t = 0; t < clip.frames(); t++) {
            int frameBase = t * h * rowBytes;
            for (int y = 0; y < newHeight; y++) {
                int r0 = frameBase + ay.lo[y] * rowBytes;
                int r1 = frameBase + ay.hi[y] * rowBytes;
                float fy = ay.frac[y];
                float gy = 1f - fy;
                for (int x = 0; x < newWidth; x++) {
                    int c0 = ax.lo[x] * c;
                    int c1 = ax.hi[x] * c;
                    float fx = ax.frac[x];
                    float gx = 1f - fx;
                    for (int k = 0; k < c; k++) {
                        float top = gx * (src[r0 + c0 + k] & 0xff) + fx * (src[r0 + c1 + k] & 0xff);
                        float bottom = gx * (src[r1 + c0 + k] & 0xff) + fx * (src[r1 + c1 + k] & 0xff);
                        int v = Math.round(gy * top + fy * bottom);
                        dst[o++] = (byte) (v < 0 ? 0 : Math.min(v, 255));
                    }
                }
            }
        }
        return clip.withPixels(dst, newHeight, newWidth);
    }

    /** Per output coordinate: the two source neighbours and the weight of the second. */
    private static final class Axis {
        final int[] lo;
        final int[] hi;
        final float[] frac;

        Axis(int in, int out) {
            lo = new int[out];
            hi = new int[out];
            frac = new float[out];
            double scale = (double) in / out;
            for (int i = 0; i < out; i++) {
                double s = Math.max(0.0, (i + 0.5) * scale - 0.5);
                int i0 = Math.min((int) s, in - 1);
                lo[i] = i0;
                hi[i] = Math.min(i0 + 1, in - 1);
                frac[i] = (float) (s - i0);
            }
        }
    }

    @Override
    public String toString() {
        return "Resize[" + size + "]";
    }
}

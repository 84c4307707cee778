package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.Random;

/**
 * Fixed-size crops: the same window for every frame of the clip.
 *
 * <p>The centre crop puts the window at {@code ceil((H - h) / 2), ceil((W - w) / 2)}, the same
 * place as PyTorchVideo's {@code uniform_crop(spatial_idx=1)} (the middle view of
 * {@link ThreeCrop}), so single-view and three-view testing agree. Peers differ by one pixel when
 * the margin is odd: MMAction2's {@code CenterCrop} floors, torchvision's {@code center_crop}
 * rounds half to even.
 *
 * <p>The random crop draws the top-left corner uniformly from every position that fits, once per
 * clip.
 */
public final class Crop implements ClipTransform {
    private final int height;
    private final int width;
    private final boolean random;

    private Crop(int height, int width, boolean random) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + width + "x" + height);
        }
        this.height = height;
        this.width = width;
        this.random = random;
    }

    /** A centred {@code size}×{@code size} crop. */
    public static Crop center(int size) {
        return new Crop(size, size, false);
    }

    public static Crop center(int height, int width) {
        return new Crop(height, width, false);
    }

    /** A {@code size}×{@code size} crop at a random position. */
    public static Crop random(int size) {
        return new Crop(size, size, true);
    }

    public static Crop random(int height, int width) {
        return new Crop(height, width, true);
    }

    @Override
    public VideoFrames apply(VideoFrames clip, Random rng) {
        int[] yx = offset(clip.height(), clip.width(), rng);
        return crop(clip, yx[0], yx[1], height, width);
    }

    /** The crop's height in pixels. */
    public int height() {
        return height;
    }

    /** The crop's width in pixels. */
    public int width() {
        return width;
    }

    /**
     * The window's top-left corner {y, x} in frames of {@code frameHeight}×{@code frameWidth}: drawn
     * from {@code rng} (row, then column) for a random crop, the centre otherwise. Transforms that cut
     * the same window from several fields of a clip (frames, flow, boxes) draw it here once.
     */
    public int[] offset(int frameHeight, int frameWidth, Random rng) {
        checkFits(frameHeight, frameWidth, height, width);
        if (!random) {
            return new int[] {centerOffset(frameHeight, height), centerOffset(frameWidth, width)};
        }
        if (rng == null) {
            throw new IllegalArgumentException("a random crop needs a Random");
        }
        int y = rng.nextInt(frameHeight - height + 1);
        int x = rng.nextInt(frameWidth - width + 1);
        return new int[] {y, x};
    }

    /** {@code ceil((full - crop) / 2)}, PyTorchVideo's centre offset. */
    public static int centerOffset(int full, int crop) {
        return (full - crop + 1) / 2;
    }

    /** The {@code height}×{@code width} window with top-left corner (y, x) of every frame. */
    public static VideoFrames crop(VideoFrames clip, int y, int x, int height, int width) {
        if (y < 0 || x < 0 || height <= 0 || width <= 0
                || y + height > clip.height() || x + width > clip.width()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + " at (x=" + x + ", y=" + y
                    + ") does not fit in " + clip.width() + "x" + clip.height());
        }
        if (y == 0 && x == 0 && height == clip.height() && width == clip.width()) {
            return clip;
        }
        int c = VideoFrames.CHANNELS;
        byte[] src = clip.rgb();
        byte[] dst = new byte[clip.frames() * height * width * c];
        int rowBytes = width * c;
        int o = 0;
        for (int t = 0; t < clip.frames(); t++) {
            for (int r = 0; r < height; r++) {
                System.arraycopy(src, clip.offset(t, y + r, x), dst, o, rowBytes);
                o += rowBytes;
            }
        }
        return clip.withPixels(dst, height, width);
    }

    static void checkFits(VideoFrames clip, int height, int width) {
        checkFits(clip.height(), clip.width(), height, width);
    }

    private static void checkFits(int frameHeight, int frameWidth, int height, int width) {
        if (height > frameHeight || width > frameWidth) {
            throw new IllegalArgumentException("cannot crop " + width + "x" + height + " from frames of "
                    + frameWidth + "x" + frameHeight + ": resize first (e.g. Resize.shortSide)");
        }
    }

    @Override
    public String toString() {
        return "Crop[" + (random ? "random " : "center ") + width + "x" + height + "]";
    }
}

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
        checkFits(clip, height, width);
        int y;
        int x;
        if (random) {
            if (rng == null) {
                throw new IllegalArgumentException("a random crop needs a Random");
            }
            y = rng.nextInt(clip.height() - height + 1);
            x = rng.nextInt(clip.width() - width + 1);
        } else {
            y = centerOffset(clip.height(), height);
            x = centerOffset(clip.width(), width);
        }
        return crop(clip, y, x, height, width);
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
        if (height > clip.height() || width > clip.width()) {
            throw new IllegalArgumentException("cannot crop " + width + "x" + height + " from frames of "
                    + clip.width() + "x" + clip.height() + ": resize first (e.g. Resize.shortSide)");
        }
    }

    @Override
    public String toString() {
        return "Crop[" + (random ? "random " : "center ") + width + "x" + height + "]";
    }
}

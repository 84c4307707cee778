package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.List;
import java.util.Random;

/**
 * The three square views of three-crop testing, at exactly the positions of PyTorchVideo's
 * {@code uniform_crop(frames, size, spatial_idx)}:
 *
 * <ul>
 *   <li>Both offsets start at the centre, {@code ceil((H - size) / 2)} and
 *       {@code ceil((W - size) / 2)}; the short side keeps that centre offset in all three views
 *       (0 when it already equals {@code size}, as after a short-side resize to {@code size}).
 *   <li>Along the longer side, view 0 is at offset 0 (left, or top), view 1 is centred and view 2
 *       ends at the far edge, offset {@code side - size} (right, or bottom).
 *   <li>The longer side is the height only when {@code H > W}; a square or landscape frame moves
 *       along the width.
 * </ul>
 *
 * <p>Unlike PyTorch slicing, a crop larger than the frame is an error here rather than a smaller
 * view.
 */
public final class ThreeCrop {
    public static final int VIEWS = 3;
    private final int size;

    public ThreeCrop(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("crop size must be positive, got " + size);
        }
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** Views 0, 1 and 2, in that order. */
    public List<VideoFrames> apply(VideoFrames clip) {
        return List.of(view(clip, 0), view(clip, 1), view(clip, 2));
    }

    /** One view: 0 left/top, 1 centre, 2 right/bottom. */
    public VideoFrames view(VideoFrames clip, int spatialIdx) {
        Crop.checkFits(clip, size, size);
        int[] yx = offset(clip.height(), clip.width(), size, spatialIdx);
        return Crop.crop(clip, yx[0], yx[1], size, size);
    }

    /** View {@code spatialIdx} as a transform, for a pipeline that makes one view per call. */
    public ClipTransform asTransform(int spatialIdx) {
        checkIdx(spatialIdx);
        return new ClipTransform() {
            @Override
            public VideoFrames apply(VideoFrames clip, Random rng) {
                return view(clip, spatialIdx);
            }

            @Override
            public String toString() {
                return "ThreeCrop[" + size + ", view " + spatialIdx + "]";
            }
        };
    }

    /** The {y, x} top-left corner of view {@code spatialIdx} in a {@code height}×{@code width} frame. */
    public static int[] offset(int height, int width, int size, int spatialIdx) {
        checkIdx(spatialIdx);
        if (size > height || size > width) {
            throw new IllegalArgumentException("cannot crop " + size + "x" + size + " from " + width + "x" + height);
        }
        int y = Crop.centerOffset(height, size);
        int x = Crop.centerOffset(width, size);
        if (height > width) {
            if (spatialIdx == 0) {
                y = 0;
            } else if (spatialIdx == 2) {
                y = height - size;
            }
        } else {
            if (spatialIdx == 0) {
                x = 0;
            } else if (spatialIdx == 2) {
                x = width - size;
            }
        }
        return new int[] {y, x};
    }

    private static void checkIdx(int spatialIdx) {
        if (spatialIdx < 0 || spatialIdx >= VIEWS) {
            throw new IllegalArgumentException("spatial_idx must be 0, 1 or 2, got " + spatialIdx);
        }
    }
}

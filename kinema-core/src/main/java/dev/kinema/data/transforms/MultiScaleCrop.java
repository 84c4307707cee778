package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * TSN's multi-scale crop (MMAction2's {@code MultiScaleCrop} followed by
 * {@code Resize(keep_ratio=False)}): crop a window whose width and height are each a scale of the
 * shorter side, then resize it to the network input.
 *
 * <ol>
 *   <li>{@code base = min(H, W)}; the crop sides are {@code (int)(base * s)} for each scale.
 *   <li>Candidate (w, h) pairs are every pair of sides whose scale levels differ by at most
 *       {@code maxWhScaleGap}; one is drawn uniformly.
 *   <li>A side within 3 pixels of the matching output side is snapped to it (as MMAction2 does) and,
 *       unlike MMAction2, then capped at the frame size so the window always fits.
 *   <li>The offset is uniform over all positions ({@code randomCrop}), or drawn from the fixed grid
 *       with steps {@code (W - w) / 4} and {@code (H - h) / 4} (integer division): 5 positions
 *       (four corners and centre) or 13 (plus centre-left, centre-right, lower-centre,
 *       upper-centre and the four quarter points).
 *   <li>The window is resized bilinearly to the output size (see {@link Resize}; no antialiasing).
 * </ol>
 *
 * <p>One window per clip. Draws come from the given {@link Random}, so the numbers differ from
 * Python's {@code random.choice} but are reproducible for a seed.
 */
public final class MultiScaleCrop implements ClipTransform {
    /** TSN's scales. */
    public static final double[] TSN_SCALES = {1, 0.875, 0.75, 0.66};
    private static final int SNAP = 3;

    private final int outputWidth;
    private final int outputHeight;
    private final double[] scales;
    private final int maxWhScaleGap;
    private final boolean randomCrop;
    private final int numFixedCrops;

    /** A crop window in pixels of the input frame. */
    public record Window(int x, int y, int width, int height) {}

    private MultiScaleCrop(Builder b) {
        this.outputWidth = b.outputWidth;
        this.outputHeight = b.outputHeight;
        this.scales = b.scales.clone();
        this.maxWhScaleGap = b.maxWhScaleGap;
        this.randomCrop = b.randomCrop;
        this.numFixedCrops = b.numFixedCrops;
    }

    /** TSN's training crop: scales (1, .875, .75, .66), gap 1, 13 fixed positions, output size×size. */
    public static MultiScaleCrop tsn(int size) {
        return builder(size, size).optScales(TSN_SCALES).optMaxWhScaleGap(1).optNumFixedCrops(13).build();
    }

    public static Builder builder(int outputWidth, int outputHeight) {
        return new Builder(outputWidth, outputHeight);
    }

    @Override
    public VideoFrames apply(VideoFrames clip, Random rng) {
        if (rng == null) {
            throw new IllegalArgumentException("MultiScaleCrop needs a Random");
        }
        Window win = choose(clip.height(), clip.width(), rng);
        VideoFrames cropped = Crop.crop(clip, win.y(), win.x(), win.height(), win.width());
        return Resize.bilinear(cropped, outputHeight, outputWidth);
    }

    /** Draws the crop window for a {@code height}×{@code width} frame. */
    public Window choose(int height, int width, Random rng) {
        List<int[]> sizes = candidateSizes(height, width);
        int[] wh = snap(sizes.get(rng.nextInt(sizes.size())), height, width);
        int cw = wh[0];
        int ch = wh[1];
        int x;
        int y;
        if (randomCrop) {
            x = rng.nextInt(width - cw + 1);
            y = rng.nextInt(height - ch + 1);
        } else {
            List<int[]> offsets = fixedOffsets(height, width, cw, ch, numFixedCrops);
            int[] xy = offsets.get(rng.nextInt(offsets.size()));
            x = xy[0];
            y = xy[1];
        }
        return new Window(x, y, cw, ch);
    }

    /**
     * The candidate {w, h} crop sizes before snapping, in MMAction2's order (height level outer,
     * width level inner).
     */
    public List<int[]> candidateSizes(int height, int width) {
        int base = Math.min(height, width);
        int[] sides = new int[scales.length];
        for (int i = 0; i < scales.length; i++) {
            sides[i] = Math.max(1, (int) (base * scales[i]));
        }
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < sides.length; i++) {
            for (int j = 0; j < sides.length; j++) {
                if (Math.abs(i - j) <= maxWhScaleGap) {
                    out.add(new int[] {sides[j], sides[i]});
                }
            }
        }
        return out;
    }

    /** A candidate {w, h} after snapping to the output size and capping at the frame size. */
    public int[] snap(int[] wh, int height, int width) {
        int cw = Math.abs(wh[0] - outputWidth) < SNAP ? outputWidth : wh[0];
        int ch = Math.abs(wh[1] - outputHeight) < SNAP ? outputHeight : wh[1];
        return new int[] {Math.min(cw, width), Math.min(ch, height)};
    }

    /**
     * The fixed {x, y} offsets of a {@code cropW}×{@code cropH} window: 5 (upper-left,
     * upper-right, lower-left, lower-right, centre) or 13 (those, then centre-left, centre-right,
     * lower-centre, upper-centre, upper-left quarter, upper-right quarter, lower-left quarter,
     * lower-right quarter).
     */
    public static List<int[]> fixedOffsets(int height, int width, int cropW, int cropH, int count) {
        if (count != 5 && count != 13) {
            throw new IllegalArgumentException("number of fixed crops must be 5 or 13, got " + count);
        }
        int ws = (width - cropW) / 4;
        int hs = (height - cropH) / 4;
        List<int[]> out = new ArrayList<>(List.of(
                new int[] {0, 0},
                new int[] {4 * ws, 0},
                new int[] {0, 4 * hs},
                new int[] {4 * ws, 4 * hs},
                new int[] {2 * ws, 2 * hs}));
        if (count == 13) {
            out.addAll(List.of(
                    new int[] {0, 2 * hs},
                    new int[] {4 * ws, 2 * hs},
                    new int[] {2 * ws, 4 * hs},
                    new int[] {2 * ws, 0},
                    new int[] {ws, hs},
                    new int[] {3 * ws, hs},
                    new int[] {ws, 3 * hs},
                    new int[] {3 * ws, 3 * hs}));
        }
        return out;
    }

    public int outputWidth() {
        return outputWidth;
    }

    public int outputHeight() {
        return outputHeight;
    }

    @Override
    public String toString() {
        return "MultiScaleCrop[" + outputWidth + "x" + outputHeight + ", scales=" + Arrays.toString(scales)
                + ", gap=" + maxWhScaleGap + (randomCrop ? ", random" : ", fixed " + numFixedCrops) + "]";
    }

    /** DJL-style builder; defaults are MMAction2's: scales (1), gap 1, 5 fixed positions. */
    public static final class Builder {
        private final int outputWidth;
        private final int outputHeight;
        private double[] scales = {1};
        private int maxWhScaleGap = 1;
        private boolean randomCrop;
        private int numFixedCrops = 5;

        private Builder(int outputWidth, int outputHeight) {
            if (outputWidth <= 0 || outputHeight <= 0) {
                throw new IllegalArgumentException("output size must be positive, got " + outputWidth + "x" + outputHeight);
            }
            this.outputWidth = outputWidth;
            this.outputHeight = outputHeight;
        }

        public Builder optScales(double... scales) {
            if (scales.length == 0) {
                throw new IllegalArgumentException("need at least one scale");
            }
            for (double s : scales) {
                if (!(s > 0 && s <= 1)) {
                    throw new IllegalArgumentException("scales must be in (0, 1], got " + s);
                }
            }
            this.scales = scales.clone();
            return this;
        }

        public Builder optMaxWhScaleGap(int gap) {
            if (gap < 0) {
                throw new IllegalArgumentException("max_wh_scale_gap must be >= 0, got " + gap);
            }
            this.maxWhScaleGap = gap;
            return this;
        }

        /** Uniform offsets instead of the fixed grid. */
        public Builder optRandomCrop(boolean randomCrop) {
            this.randomCrop = randomCrop;
            return this;
        }

        /** 5 or 13 fixed positions (ignored with {@link #optRandomCrop}). */
        public Builder optNumFixedCrops(int count) {
            if (count != 5 && count != 13) {
                throw new IllegalArgumentException("number of fixed crops must be 5 or 13, got " + count);
            }
            this.numFixedCrops = count;
            return this;
        }

        public MultiScaleCrop build() {
            return new MultiScaleCrop(this);
        }
    }
}

package dev.kinema.models.videomae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * VideoMAE's tube masking ({@code TubeMaskingGenerator}): one random spatial mask of
 * {@code ⌊ratio·H'·W'⌋} positions per clip, repeated over all T' token-frames, so a masked position
 * is hidden for the whole clip and cannot be copied from a neighbouring frame. Tokens are numbered
 * t-major over the T'×H'×W' grid, as the encoder flattens them.
 *
 * @param grid the token grid T'×H'×W'
 * @param visible the visible token numbers of each clip, ascending (clips × V)
 * @param masked the masked token numbers of each clip, ascending (clips × M)
 */
public record TubeMask(long[] grid, long[][] visible, long[][] masked) {
    /** VideoMAE's default ratio. */
    public static final double DEFAULT_RATIO = 0.9;

    /**
     * Masks for {@code clips} clips on the token grid {@code grid}, drawn from {@code rng} (one
     * shuffle of the spatial positions per clip).
     *
     * @throws IllegalArgumentException when the ratio is not in (0, 1) or leaves no visible or no
     *     masked position
     */
    public static TubeMask draw(int clips, long[] grid, double ratio, SplittableRandom rng) {
        int spatial = Math.toIntExact(grid[1] * grid[2]);
        int hidden = maskedPerFrame(spatial, ratio);
        long frames = grid[0];
        long[][] visible = new long[clips][];
        long[][] masked = new long[clips][];
        for (int c = 0; c < clips; c++) {
            int[] order = new int[spatial];
            for (int i = 0; i < spatial; i++) {
                order[i] = i;
            }
            for (int i = spatial - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
            boolean[] isMasked = new boolean[spatial];
            for (int i = 0; i < hidden; i++) {
                isMasked[order[i]] = true;
            }
            visible[c] = new long[Math.toIntExact(frames * (spatial - hidden))];
            masked[c] = new long[Math.toIntExact(frames * hidden)];
            int v = 0, m = 0;
            for (long t = 0; t < frames; t++) {
                for (int s = 0; s < spatial; s++) {
                    long token = t * spatial + s;
                    if (isMasked[s]) {
                        masked[c][m++] = token;
                    } else {
                        visible[c][v++] = token;
                    }
                }
            }
        }
        return new TubeMask(grid.clone(), visible, masked);
    }

    /** Masked positions per token-frame: {@code ⌊ratio·spatial⌋}, at least 1 and at most spatial-1. */
    public static int maskedPerFrame(int spatial, double ratio) {
        if (!(ratio > 0 && ratio < 1)) {
            throw new IllegalArgumentException("the mask ratio must be in (0, 1), got " + ratio);
        }
        int hidden = (int) Math.floor(ratio * spatial + 1e-9);
        if (hidden < 1 || hidden >= spatial) {
            throw new IllegalArgumentException("a mask ratio of " + ratio + " on " + spatial
                    + " positions per frame leaves " + (spatial - hidden) + " visible and " + hidden + " masked");
        }
        return hidden;
    }

    /** Visible tokens per clip. */
    public int visibleTokens() {
        return visible[0].length;
    }

    /** Masked tokens per clip. */
    public int maskedTokens() {
        return masked[0].length;
    }

    /** The visible token numbers as an int64 array clips×V. */
    public NDArray visibleIndex(NDManager manager) {
        return index(manager, visible);
    }

    /** The masked token numbers as an int64 array clips×M. */
    public NDArray maskedIndex(NDManager manager) {
        return index(manager, masked);
    }

    /** Whether token {@code token} of clip {@code clip} is masked. */
    public boolean isMasked(int clip, long token) {
        return Arrays.binarySearch(masked[clip], token) >= 0;
    }

    private static NDArray index(NDManager manager, long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return manager.create(flat, new Shape(rows.length, rows[0].length));
    }

    /** Tokens N×L×D to the tokens {@code index} (N×K, int64) names, N×K×D. */
    public static NDArray gather(NDArray tokens, NDArray index) {
        long d = tokens.getShape().get(2);
        Shape s = index.getShape();
        return tokens.gather(index.expandDims(2).repeat(2, d), 1).reshape(s.get(0), s.get(1), d);
    }
}

package dev.kinema.video;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A stack of decoded RGB frames, T×H×W×3 packed bytes, the form in which frames leave the decoder.
 *
 * <p>Frames stay as unsigned bytes until the last transform, because crops, flips and resizes on
 * bytes move four times less memory than on floats; {@code dev.kinema.data.transforms.ToTensor}
 * makes the float C×T×H×W (or T×C×H×W) tensor a model sees.
 *
 * <p>Each frame remembers the index it came from in the source video (presentation order) and its
 * presentation time, so a sampled clip can always be traced back to the file.
 */
public final class VideoFrames {
    public static final int CHANNELS = 3;

    private final byte[] rgb;
    private final int frames;
    private final int height;
    private final int width;
    private final int[] sourceIndices;
    private final double[] timestamps;

    /**
     * @param rgb T×H×W×3 bytes, row-major, owned by this object from now on (not copied)
     * @param sourceIndices the source frame index of each frame, or {@code null} for 0..T-1
     * @param timestamps presentation time of each frame in seconds, or {@code null} if unknown (NaN)
     */
    public VideoFrames(byte[] rgb, int frames, int height, int width, int[] sourceIndices, double[] timestamps) {
        Objects.requireNonNull(rgb, "rgb");
        if (frames < 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("bad shape " + frames + "x" + height + "x" + width);
        }
        if ((long) frames * height * width * CHANNELS != rgb.length) {
            throw new IllegalArgumentException("rgb has " + rgb.length + " bytes, shape "
                    + frames + "x" + height + "x" + width + "x3 needs " + (long) frames * height * width * CHANNELS);
        }
        this.rgb = rgb;
        this.frames = frames;
        this.height = height;
        this.width = width;
        this.sourceIndices = sourceIndices != null ? sourceIndices : identity(frames);
        this.timestamps = timestamps != null ? timestamps : nans(frames);
        if (this.sourceIndices.length != frames || this.timestamps.length != frames) {
            throw new IllegalArgumentException("need one source index and timestamp per frame");
        }
    }

    public VideoFrames(byte[] rgb, int frames, int height, int width) {
        this(rgb, frames, height, width, null, null);
    }

    /** The raw T×H×W×3 bytes; callers may read but must not modify them. */
    public byte[] rgb() {
        return rgb;
    }

    public int frames() {
        return frames;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    public int frameBytes() {
        return height * width * CHANNELS;
    }

    /** Source index of each frame (copy). */
    public int[] sourceIndices() {
        return sourceIndices.clone();
    }

    /** Presentation time of each frame in seconds, NaN where unknown (copy). */
    public double[] timestamps() {
        return timestamps.clone();
    }

    public int sourceIndex(int t) {
        return sourceIndices[t];
    }

    public double timestamp(int t) {
        return timestamps[t];
    }

    /** Byte offset of pixel (t, y, x), channel 0. */
    public int offset(int t, int y, int x) {
        return ((t * height + y) * width + x) * CHANNELS;
    }

    /** Channel {@code c} of pixel (t, y, x) as 0..255. */
    public int get(int t, int y, int x, int c) {
        return rgb[offset(t, y, x) + c] & 0xff;
    }

    /** A copy of frame {@code t} as H×W×3 bytes. */
    public byte[] frame(int t) {
        int n = frameBytes();
        return Arrays.copyOfRange(rgb, t * n, (t + 1) * n);
    }

    /** Same frames with new pixels of a new spatial size (for transforms); provenance is kept. */
    public VideoFrames withPixels(byte[] newRgb, int newHeight, int newWidth) {
        return new VideoFrames(newRgb, frames, newHeight, newWidth, sourceIndices, timestamps);
    }

    /** The frames at positions {@code ts} (in this stack), in that order. */
    public VideoFrames select(int... ts) {
        int n = frameBytes();
        byte[] out = new byte[ts.length * n];
        int[] idx = new int[ts.length];
        double[] times = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            System.arraycopy(rgb, ts[i] * n, out, i * n, n);
            idx[i] = sourceIndices[ts[i]];
            times[i] = timestamps[ts[i]];
        }
        return new VideoFrames(out, ts.length, height, width, idx, times);
    }

    @Override
    public String toString() {
        return "VideoFrames[" + frames + "x" + height + "x" + width + "x3]";
    }

    /** Frame stacks of one size one after another, with their source indices and timestamps. */
    public static VideoFrames concat(List<VideoFrames> stacks) {
        VideoFrames first = stacks.get(0);
        int n = stacks.stream().mapToInt(VideoFrames::frames).sum();
        byte[] rgb = new byte[n * first.frameBytes()];
        int[] indices = new int[n];
        double[] times = new double[n];
        int at = 0;
        for (VideoFrames s : stacks) {
            System.arraycopy(s.rgb(), 0, rgb, at * first.frameBytes(), s.rgb().length);
            for (int t = 0; t < s.frames(); t++, at++) {
                indices[at] = s.sourceIndex(t);
                times[at] = s.timestamp(t);
            }
        }
        return new VideoFrames(rgb, n, first.height(), first.width(), indices, times);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        return a;
    }

    private static double[] nans(int n) {
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }
}

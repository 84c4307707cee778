package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * RandAugment for video, as PyTorchVideo's {@code RandAugment}: {@code N} times, pick one of 13
 * operations uniformly and apply it with probability 0.5 at a magnitude drawn from a Gaussian around
 * {@code M} (standard deviation 0.5, clipped to 0–10). An operation's parameters are drawn once per
 * clip and used for every frame, so the clip stays one consistent video; only the statistics of
 * auto-contrast, equalise and contrast are each frame's own, as when torchvision applies them to a
 * batch of frames.
 *
 * <p>The operations and their ranges at magnitude 10 follow PyTorchVideo: brightness, contrast,
 * saturation and sharpness factors 1 ± 0.9; rotation up to ±30°; shear up to ±0.3; translation up
 * to ±45% of the side; posterise from 4 bits down; solarise at a threshold falling from 255 to 0;
 * auto-contrast and equalise take no magnitude. Geometric operations sample the nearest pixel and
 * fill with mid-grey, as PyTorchVideo's fill of 0.5.
 *
 * <pre>{@code
 * ClipTransform train = Compose.of(RandAugment.of(2, 9), Crop.random(112), Flip.horizontal(0.5));
 * }</pre>
 */
public final class RandAugment implements ClipTransform {
    /** The top of the magnitude scale. */
    public static final int MAX_MAGNITUDE = 10;
    private static final double PROBABILITY = 0.5;
    private static final double MAGNITUDE_STD = 0.5;
    private static final int FILL = 128;

    /** One operation: its argument at a level in [0, 10] and how it changes a clip. */
    enum Op {
        AUTO_CONTRAST, EQUALIZE, ROTATE, POSTERIZE, SOLARIZE, SATURATION, CONTRAST, BRIGHTNESS, SHARPNESS,
        SHEAR_X, SHEAR_Y, TRANSLATE_X, TRANSLATE_Y;

        /** The operation's argument at {@code level}; signed operations draw their sign from {@code rng}. */
        double argument(double level, Random rng) {
            double fraction = level / MAX_MAGNITUDE;
            return switch (this) {
                case AUTO_CONTRAST, EQUALIZE -> 0;
                case POSTERIZE -> 4 - (int) (fraction * 4);
                case SOLARIZE -> 255 * (1 - fraction);
                case SATURATION, CONTRAST, BRIGHTNESS, SHARPNESS -> 1 + signed(fraction * 0.9, rng);
                case ROTATE -> signed(fraction * 30, rng);
                case SHEAR_X, SHEAR_Y -> signed(fraction * 0.3, rng);
                case TRANSLATE_X, TRANSLATE_Y -> signed(fraction * 0.45, rng);
            };
        }

        VideoFrames apply(VideoFrames clip, double arg) {
            return switch (this) {
                case AUTO_CONTRAST -> perFrameChannel(clip, Op::autoContrastLut);
                case EQUALIZE -> perFrameChannel(clip, Op::equalizeLut);
                case POSTERIZE -> pointwise(clip, v -> v & (0xFF << (8 - (int) arg)) & 0xFF);
                case SOLARIZE -> pointwise(clip, v -> v >= arg ? 255 - v : v);
                case BRIGHTNESS -> blend(clip, new byte[clip.rgb().length], arg);
                case SATURATION -> blend(clip, grey(clip), arg);
                case CONTRAST -> blend(clip, meanGrey(clip), arg);
                case SHARPNESS -> blend(clip, smoothed(clip), arg);
                case ROTATE -> {
                    double r = Math.toRadians(arg);
                    yield affine(clip, Math.cos(r), -Math.sin(r), Math.sin(r), Math.cos(r), 0, 0);
                }
                case SHEAR_X -> affine(clip, 1, arg, 0, 1, 0, 0);
                case SHEAR_Y -> affine(clip, 1, 0, arg, 1, 0, 0);
                case TRANSLATE_X -> affine(clip, 1, 0, 0, 1, Math.round(arg * clip.width()), 0);
                case TRANSLATE_Y -> affine(clip, 1, 0, 0, 1, 0, Math.round(arg * clip.height()));
            };
        }

        private static double signed(double v, Random rng) {
            return rng.nextBoolean() ? -v : v;
        }

        private interface ByteMap {
            int map(int value);
        }

        private static VideoFrames pointwise(VideoFrames clip, ByteMap f) {
            byte[] src = clip.rgb();
            byte[] dst = new byte[src.length];
            for (int i = 0; i < src.length; i++) {
                dst[i] = (byte) f.map(src[i] & 0xFF);
            }
            return clip.withPixels(dst, clip.height(), clip.width());
        }

        /** {@code degenerate + factor·(clip − degenerate)}, rounded and clamped to bytes (PIL's ImageEnhance). */
        private static VideoFrames blend(VideoFrames clip, byte[] degenerate, double factor) {
            byte[] src = clip.rgb();
            byte[] dst = new byte[src.length];
            for (int i = 0; i < src.length; i++) {
                int d = degenerate[i] & 0xFF;
                dst[i] = (byte) clampByte(Math.round(d + factor * ((src[i] & 0xFF) - d)));
            }
            return clip.withPixels(dst, clip.height(), clip.width());
        }

        private static int clampByte(long v) {
            return (int) Math.max(0, Math.min(255, v));
        }

        private static int luma(byte[] rgb, int i) {
            return (int) Math.round(0.299 * (rgb[i] & 0xFF) + 0.587 * (rgb[i + 1] & 0xFF) + 0.114 * (rgb[i + 2] & 0xFF));
        }

        /** Every pixel's grey value in all three channels. */
        private static byte[] grey(VideoFrames clip) {
            byte[] src = clip.rgb();
            byte[] out = new byte[src.length];
            for (int i = 0; i < src.length; i += 3) {
                byte g = (byte) luma(src, i);
                out[i] = g;
                out[i + 1] = g;
                out[i + 2] = g;
            }
            return out;
        }

        /** Each frame filled with the mean of its grey values. */
        private static byte[] meanGrey(VideoFrames clip) {
            byte[] src = clip.rgb();
            byte[] out = new byte[src.length];
            int frameBytes = clip.frameBytes();
            for (int t = 0; t < clip.frames(); t++) {
                long sum = 0;
                for (int i = t * frameBytes; i < (t + 1) * frameBytes; i += 3) {
                    sum += luma(src, i);
                }
                byte mean = (byte) Math.round((double) sum / (frameBytes / 3));
                Arrays.fill(out, t * frameBytes, (t + 1) * frameBytes, mean);
            }
            return out;
        }

        /** PIL's SMOOTH filter (centre 5, neighbours 1, over 13) inside each frame; the border stays as it is. */
        private static byte[] smoothed(VideoFrames clip) {
            byte[] src = clip.rgb();
            byte[] out = src.clone();
            int h = clip.height();
            int w = clip.width();
            for (int t = 0; t < clip.frames(); t++) {
                for (int y = 1; y < h - 1; y++) {
                    for (int x = 1; x < w - 1; x++) {
                        for (int c = 0; c < 3; c++) {
                            int sum = 4 * (src[clip.offset(t, y, x) + c] & 0xFF);
                            for (int dy = -1; dy <= 1; dy++) {
                                for (int dx = -1; dx <= 1; dx++) {
                                    sum += src[clip.offset(t, y + dy, x + dx) + c] & 0xFF;
                                }
                            }
                            out[clip.offset(t, y, x) + c] = (byte) Math.round(sum / 13.0);
                        }
                    }
                }
            }
            return out;
        }

        private interface Lut {
            int[] of(int[] histogram);
        }

        /** Maps each channel of each frame through a table made from that channel's histogram. */
        private static VideoFrames perFrameChannel(VideoFrames clip, Lut lut) {
            byte[] src = clip.rgb();
            byte[] dst = new byte[src.length];
            int frameBytes = clip.frameBytes();
            for (int t = 0; t < clip.frames(); t++) {
                for (int c = 0; c < 3; c++) {
                    int[] histogram = new int[256];
                    for (int i = t * frameBytes + c; i < (t + 1) * frameBytes; i += 3) {
                        histogram[src[i] & 0xFF]++;
                    }
                    int[] table = lut.of(histogram);
                    for (int i = t * frameBytes + c; i < (t + 1) * frameBytes; i += 3) {
                        dst[i] = (byte) table[src[i] & 0xFF];
                    }
                }
            }
            return clip.withPixels(dst, clip.height(), clip.width());
        }

        /** torchvision's autocontrast: the channel's range stretched to 0–255 (kept when flat). */
        private static int[] autoContrastLut(int[] histogram) {
            int lo = 0;
            while (lo < 255 && histogram[lo] == 0) {
                lo++;
            }
            int hi = 255;
            while (hi > 0 && histogram[hi] == 0) {
                hi--;
            }
            // In float32 like torchvision, whose rounding decides e.g. that 150 of 50..150 maps to 255.
            float scale = 255f / (hi - lo);
            int[] table = new int[256];
            for (int v = 0; v < 256; v++) {
                table[v] = hi <= lo ? v : clampByte((long) ((v - lo) * scale));
            }
            return table;
        }

        /** torchvision's equalize: the cumulative histogram without its last level, in 255 steps. */
        private static int[] equalizeLut(int[] histogram) {
            int last = 255;
            while (last > 0 && histogram[last] == 0) {
                last--;
            }
            int total = 0;
            for (int n : histogram) {
                total += n;
            }
            int step = (total - histogram[last]) / 255;
            int[] table = new int[256];
            if (step == 0) {
                for (int v = 0; v < 256; v++) {
                    table[v] = v;
                }
                return table;
            }
            int cumulative = step / 2;
            for (int v = 0; v < 256; v++) {
                table[v] = Math.min(255, cumulative / step);
                cumulative += histogram[v];
            }
            return table;
        }

        /**
         * Every frame resampled through {@code source = A·(p − centre) + centre − shift} with
         * {@code A = [[a, b], [c, d]]}, nearest pixel, mid-grey outside.
         */
        private static VideoFrames affine(VideoFrames clip, double a, double b, double c, double d, long shiftX,
                long shiftY) {
            int h = clip.height();
            int w = clip.width();
            byte[] src = clip.rgb();
            byte[] dst = new byte[src.length];
            double cx = (w - 1) / 2.0;
            double cy = (h - 1) / 2.0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double px = x - shiftX - cx;
                    double py = y - shiftY - cy;
                    long sx = Math.round(a * px + b * py + cx);
                    long sy = Math.round(c * px + d * py + cy);
                    boolean inside = sx >= 0 && sx < w && sy >= 0 && sy < h;
                    for (int t = 0; t < clip.frames(); t++) {
                        int o = clip.offset(t, y, x);
                        for (int ch = 0; ch < 3; ch++) {
                            dst[o + ch] = inside ? src[clip.offset(t, (int) sy, (int) sx) + ch] : (byte) FILL;
                        }
                    }
                }
            }
            return clip.withPixels(dst, h, w);
        }
    }

    private static final List<Op> OPS = List.of(Op.values());

    private final int ops;
    private final int magnitude;

    private RandAugment(int ops, int magnitude) {
        if (ops < 0 || magnitude < 0 || magnitude > MAX_MAGNITUDE) {
            throw new IllegalArgumentException("RandAugment needs N >= 0 operations at a magnitude M in 0.."
                    + MAX_MAGNITUDE + ", got " + ops + "," + magnitude);
        }
        this.ops = ops;
        this.magnitude = magnitude;
    }

    /** {@code ops} operations (N) at magnitude {@code magnitude} (M, 0–10); PyTorchVideo's default is 2, 9. */
    public static RandAugment of(int ops, int magnitude) {
        return new RandAugment(ops, magnitude);
    }

    @Override
    public VideoFrames apply(VideoFrames clip, Random rng) {
        if (ops > 0 && rng == null) {
            throw new IllegalArgumentException("RandAugment needs a Random");
        }
        VideoFrames out = clip;
        for (int i = 0; i < ops; i++) {
            Op op = OPS.get(rng.nextInt(OPS.size()));
            if (rng.nextDouble() < PROBABILITY) {
                double level = Math.max(0, Math.min(MAX_MAGNITUDE, magnitude + MAGNITUDE_STD * rng.nextGaussian()));
                out = op.apply(out, op.argument(level, rng));
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "RandAugment[N=" + ops + ", M=" + magnitude + "]";
    }
}

package dev.kinema.data.transforms;

import dev.kinema.video.VideoFrames;

/** Hand-made clips whose every byte says where it came from. */
final class TestClips {
    private TestClips() {}

    /** Byte value of channel c at (t, y, x) in {@link #coded}: distinct for every pixel and channel of small clips. */
    static int value(int t, int y, int x, int c, int height, int width) {
        return (((t * height + y) * width + x) * 3 + c) % 256;
    }

    /** T×H×W clip with {@link #value} pixels, source indices 10, 20, ... and timestamps 0.4 s apart. */
    static VideoFrames coded(int frames, int height, int width) {
        byte[] rgb = new byte[frames * height * width * 3];
        int[] idx = new int[frames];
        double[] ts = new double[frames];
        for (int t = 0; t < frames; t++) {
            idx[t] = 10 * (t + 1);
            ts[t] = 0.4 * t;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    for (int c = 0; c < 3; c++) {
                        rgb[((t * height + y) * width + x) * 3 + c] = (byte) value(t, y, x, c, height, width);
                    }
                }
            }
        }
        return new VideoFrames(rgb, frames, height, width, idx, ts);
    }

    /** A clip where every pixel of every frame is (r, g, b). */
    static VideoFrames constant(int frames, int height, int width, int r, int g, int b) {
        byte[] rgb = new byte[frames * height * width * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new VideoFrames(rgb, frames, height, width);
    }

    /** A 1-frame, 1-row clip whose pixels are grey levels {@code values}. */
    static VideoFrames row(int... values) {
        byte[] rgb = new byte[values.length * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) values[i];
        }
        return new VideoFrames(rgb, 1, 1, values.length);
    }
}

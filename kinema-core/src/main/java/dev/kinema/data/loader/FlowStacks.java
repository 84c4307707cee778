package dev.kinema.data.loader;

import dev.kinema.flow.FlowVideo;
import dev.kinema.io.FloatTensor;

/**
 * Flow stacks, the temporal stream's input: L consecutive flow fields of a video as 2×L×H×W floats
 * (channel 0 the L horizontal displacements, channel 1 the L vertical ones), at the resolution of the
 * frames the model sees and normalised by a {@link FlowNormalization}.
 *
 * <p>A field computed at another resolution is resampled bilinearly (pixel centres aligned, as
 * OpenCV's and PyTorch's {@code align_corners=False}) and its vectors scaled by the size ratio, so
 * displacements are in pixels of the output.
 */
public final class FlowStacks {
    private FlowStacks() {}

    /**
     * The first field of the stack of {@code length} fields starting at decoded frame {@code frame}:
     * the field that starts there, moved back so the stack ends within the video.
     *
     * @throws IllegalArgumentException when the video has fewer than {@code length} fields
     */
    public static int firstField(FlowVideo flow, int frame, int length) {
        if (flow.fields() < length) {
            throw new IllegalArgumentException("the video has " + flow.fields() + " flow fields; a stack needs "
                    + length + " (a video of at least " + (length * flow.step() + 1) + " frames)");
        }
        return Math.max(0, Math.min(frame / flow.step(), flow.fields() - length));
    }

    /**
     * Frames of a video (or of its first {@code frames}) that can start a stack: those with a flow
     * field after them. A sampler draws the stack's start among these.
     */
    public static int usableFrames(FlowVideo flow, int frames) {
        return Math.max(1, Math.min(frames, flow.fields() * flow.step() + 1));
    }

    /**
     * The decoded frames each field of the stack starting at field {@code firstField} starts at (the
     * frames of a two-stream clip), clamped to the video's last frame.
     */
    public static int[] frameIndices(FlowVideo flow, int firstField, int length, int frameCount) {
        int[] indices = new int[length];
        for (int t = 0; t < length; t++) {
            indices[t] = Math.min(frameCount - 1, (firstField + t) * flow.step());
        }
        return indices;
    }

    /**
     * Fields {@code [first, first + length)} of {@code flow} as a normalised 2×L×{@code height}×{@code width}
     * stack, at the size of the frames the model sees.
     */
    public static FloatTensor stack(FlowVideo flow, int first, int length, int height, int width,
            FlowNormalization normalization) {
        float[] values = new float[Math.multiplyExact(2 * length, Math.multiplyExact(height, width))];
        write(flow, first, length, height, width, normalization, values, 0);
        return new FloatTensor(new long[] {2, length, height, width}, values);
    }

    /**
     * Writes fields {@code [first, first + length)} of {@code flow} as 2×L×{@code height}×{@code width}
     * normalised floats into {@code out} from {@code base} on.
     */
    private static void write(FlowVideo flow, int first, int length, int height, int width,
            FlowNormalization normalization, float[] out, int base) {
        int fh = flow.height();
        int fw = flow.width();
        float[] raw = new float[length * 2 * fh * fw];
        flow.copy(first, length, raw, 0);
        int plane = height * width;
        float sx = (float) width / fw;
        float sy = (float) height / fh;
        float[] field = new float[plane];
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < 2; c++) {
                int src = (t * 2 + c) * fh * fw;
                resample(raw, src, fh, fw, field, height, width, c == 0 ? sx : sy);
                double mean = 0;
                if (normalization.subtractMean()) {
                    for (float v : field) {
                        mean += v;
                    }
                    mean /= plane;
                }
                int dst = base + (c * length + t) * plane;
                for (int p = 0; p < plane; p++) {
                    out[dst + p] = normalization.apply((float) (field[p] - mean));
                }
            }
        }
    }

    /** One flow component resampled to height×width (bilinear, centres aligned) and scaled by {@code scale}. */
    private static void resample(float[] src, int offset, int sh, int sw, float[] dst, int height, int width,
            float scale) {
        if (sh == height && sw == width) {
            for (int p = 0; p < dst.length; p++) {
                dst[p] = src[offset + p];
            }
            return;
        }
        for (int y = 0; y < height; y++) {
            float fy = Math.max(0, Math.min(sh - 1, (y + 0.5f) * sh / height - 0.5f));
            int y0 = (int) fy;
            int y1 = Math.min(sh - 1, y0 + 1);
            float wy = fy - y0;
            for (int x = 0; x < width; x++) {
                float fx = Math.max(0, Math.min(sw - 1, (x + 0.5f) * sw / width - 0.5f));
                int x0 = (int) fx;
                int x1 = Math.min(sw - 1, x0 + 1);
                float wx = fx - x0;
                float top = src[offset + y0 * sw + x0] * (1 - wx) + src[offset + y0 * sw + x1] * wx;
                float bottom = src[offset + y1 * sw + x0] * (1 - wx) + src[offset + y1 * sw + x1] * wx;
                dst[y * width + x] = scale * (top * (1 - wy) + bottom * wy);
            }
        }
    }
}

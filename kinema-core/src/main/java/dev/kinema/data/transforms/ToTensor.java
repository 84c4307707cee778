package dev.kinema.data.transforms;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.video.VideoFrames;
import java.util.List;
import java.util.Objects;

/**
 * The last step of a clip pipeline: uint8 T×H×W×3 frames to the float32 tensor a model takes,
 * {@code (pixel / 255 - mean[c]) / std[c]}, in {@link Layout#CTHW} or {@link Layout#TCHW}.
 *
 * <p>The floats are computed in Java in a single pass over the bytes (one table look-up per byte)
 * and the NDArray is created once from them, which is much faster than a chain of small NDArray
 * operations (cast, divide, subtract, divide, transpose) each allocating a native tensor.
 *
 * <pre>{@code
 * ToTensor toTensor = new ToTensor(Normalization.KINETICS, Layout.CTHW);
 * try (NDManager m = NDManager.newBaseManager()) {
 *     NDArray x = toTensor.apply(m, clip);   // 3×T×H×W float32
 * }
 * }</pre>
 */
public final class ToTensor {
    private final Normalization normalization;
    private final Layout layout;
    private final float[][] lut;

    public ToTensor(Normalization normalization, Layout layout) {
        this.normalization = Objects.requireNonNull(normalization, "normalization");
        this.layout = Objects.requireNonNull(layout, "layout");
        this.lut = normalization.table();
    }

    public Normalization normalization() {
        return normalization;
    }

    public Layout layout() {
        return layout;
    }

    /** The tensor's shape for {@code clip}. */
    public Shape shape(VideoFrames clip) {
        return layout.shape(VideoFrames.CHANNELS, clip.frames(), clip.height(), clip.width());
    }

    /** The clip as a float32 NDArray owned by {@code manager}. */
    public NDArray apply(NDManager manager, VideoFrames clip) {
        return manager.create(toFloats(clip), shape(clip));
    }

    /**
     * Several clips of one shape (e.g. the views of {@link ThreeCrop}) as one N×(layout) batch, still
     * created with a single NDArray allocation.
     */
    public NDArray applyBatch(NDManager manager, List<VideoFrames> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips");
        }
        VideoFrames first = clips.get(0);
        int per = VideoFrames.CHANNELS * first.frames() * first.height() * first.width();
        float[] out = new float[Math.multiplyExact(per, clips.size())];
        for (int i = 0; i < clips.size(); i++) {
            VideoFrames c = clips.get(i);
            if (c.frames() != first.frames() || c.height() != first.height() || c.width() != first.width()) {
                throw new IllegalArgumentException("clip " + i + " is " + c + ", clip 0 is " + first);
            }
            writeTo(c, out, i * per);
        }
        return manager.create(out, new Shape(clips.size()).addAll(shape(first)));
    }

    /** The normalised values in this layout's row-major order. */
    public float[] toFloats(VideoFrames clip) {
        float[] out = new float[Math.multiplyExact(clip.frames(), clip.frameBytes())];
        writeTo(clip, out, 0);
        return out;
    }

    /**
     * Writes the normalised values of {@code clip} into {@code out} from {@code base} on, so a batch
     * can be collated into one array without an intermediate copy per clip.
     */
    public void writeTo(VideoFrames clip, float[] out, int base) {
        int frames = clip.frames();
        int plane = clip.height() * clip.width();
        byte[] src = clip.rgb();
        float[] l0 = lut[0];
        float[] l1 = lut[1];
        float[] l2 = lut[2];
        for (int t = 0; t < frames; t++) {
            int b0 = base + layout.index(0, t, 0, 0, 3, frames, 1, plane);
            int b1 = base + layout.index(1, t, 0, 0, 3, frames, 1, plane);
            int b2 = base + layout.index(2, t, 0, 0, 3, frames, 1, plane);
            int s = t * plane * 3;
            for (int p = 0; p < plane; p++, s += 3) {
                out[b0 + p] = l0[src[s] & 0xff];
                out[b1 + p] = l1[src[s + 1] & 0xff];
                out[b2 + p] = l2[src[s + 2] & 0xff];
            }
        }
    }

    @Override
    public String toString() {
        return "ToTensor[" + layout + ", " + normalization + "]";
    }
}

package dev.kinema.data.loader;

import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import dev.kinema.io.FloatTensor;
import dev.kinema.video.AudioTrack;
import dev.kinema.video.VideoFrames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One clip of a video with its named fields, on the Java heap and free of DJL: what
 * {@link ClipDecoder} makes, {@link FieldTransform}s change and {@link ClipCollate} turns into the
 * batch a model takes. Training, evaluation, classification, and later the service, Spark jobs and
 * streaming all make clips this way, so a new field or transform is added once.
 *
 * <p>Every field but the provenance is optional (null, or an empty list): an RGB clip has frames,
 * a flow clip flow, a two-stream clip both.
 *
 * @param frames the decoded frames, T×H×W×3 uint8 (normalised only when collated, so transforms
 *     work on bytes)
 * @param flow optical flow, 2×L×H×W floats at the size of the frames: channel 0 the L horizontal
 *     and channel 1 the L vertical displacements, already normalised by a {@link FlowNormalization}
 *     (its per-field mean is taken over the whole field, so it happens before any crop)
 * @param audio the clip's sound, samples and rate
 * @param boxes boxes in pixels of the frames (detection, tracking)
 * @param segments labelled time spans, in seconds of the video (localisation)
 * @param text a caption or other text (captioning, retrieval)
 * @param source where the clip comes from
 */
public record Clip(VideoFrames frames, FloatTensor flow, AudioTrack audio, List<Box> boxes, List<Segment> segments,
        String text, Source source) {

    /** The named fields, for transforms to say which they change. */
    public enum Field { FRAMES, FLOW, AUDIO, BOXES, SEGMENTS, TEXT }

    public Clip {
        boxes = boxes == null ? List.of() : List.copyOf(boxes);
        segments = segments == null ? List.of() : List.copyOf(segments);
        Objects.requireNonNull(source, "source");
        if (flow != null && (flow.shape().length != 4 || flow.shape()[0] != 2)) {
            throw new IllegalArgumentException("flow must be 2 x L x H x W, got " + flow.dims());
        }
        if (frames != null && flow != null
                && (frames.frames() != flow.shape()[1] || frames.height() != flow.shape()[2]
                        || frames.width() != flow.shape()[3])) {
            throw new IllegalArgumentException(frames + " and flow of " + flow.dims()
                    + " must have as many frames as fields, of one size");
        }
        if (frames == null && flow == null) {
            throw new IllegalArgumentException(source.video() + ": a clip needs frames or flow");
        }
    }

    /** A clip of frames and/or flow, with no other fields yet. */
    public static Clip of(VideoFrames frames, FloatTensor flow, Source source) {
        return new Clip(frames, flow, null, List.of(), List.of(), null, source);
    }

    /** Height in pixels of the frames (or of the flow when there are no frames). */
    public int height() {
        return frames != null ? frames.height() : Math.toIntExact(flow.shape()[2]);
    }

    /** Width in pixels of the frames (or of the flow when there are no frames). */
    public int width() {
        return frames != null ? frames.width() : Math.toIntExact(flow.shape()[3]);
    }

    /** Time steps: frames, or flow fields. */
    public int length() {
        return frames != null ? frames.frames() : Math.toIntExact(flow.shape()[1]);
    }

    /** Whether the clip holds {@code field}. */
    public boolean has(Field field) {
        return switch (field) {
            case FRAMES -> frames != null;
            case FLOW -> flow != null;
            case AUDIO -> audio != null;
            case BOXES -> !boxes.isEmpty();
            case SEGMENTS -> !segments.isEmpty();
            case TEXT -> text != null;
        };
    }

    /**
     * The {@code h}×{@code w} window at (y, x) of every field with a geometry: the frames, the flow
     * and the boxes (those left with no area are dropped), all mirrored left to right when
     * {@code flip}, which also negates the horizontal flow (a point moving right moves left in the
     * mirror). The one place a crop or flip touches each field: {@link SpatialAugment} and
     * {@link CropView} choose the window, this cuts it.
     */
    public Clip cut(int y, int x, int h, int w, boolean flip) {
        if (y < 0 || x < 0 || h < 1 || w < 1 || y + h > height() || x + w > width()) {
            throw new IllegalArgumentException(source.video() + ": window " + w + "x" + h + " at (x=" + x + ", y=" + y
                    + ") does not fit in " + width() + "x" + height());
        }
        VideoFrames cutFrames = frames;
        if (cutFrames != null) {
            cutFrames = Crop.crop(cutFrames, y, x, h, w);
            cutFrames = flip ? Flip.mirror(cutFrames) : cutFrames;
        }
        FloatTensor cutFlow = flow == null ? null : cutFlow(flow, y, x, h, w, flip);
        List<Box> cutBoxes = new ArrayList<>(boxes.size());
        for (Box b : boxes) {
            float x1 = Math.max(0, Math.min(w, b.x1() - x));
            float x2 = Math.max(0, Math.min(w, b.x2() - x));
            float y1 = Math.max(0, Math.min(h, b.y1() - y));
            float y2 = Math.max(0, Math.min(h, b.y2() - y));
            if (x2 > x1 && y2 > y1) {
                cutBoxes.add(flip ? new Box(b.frame(), w - x2, y1, w - x1, y2, b.label())
                        : new Box(b.frame(), x1, y1, x2, y2, b.label()));
            }
        }
        return new Clip(cutFrames, cutFlow, audio, cutBoxes, segments, text, source);
    }

    public Clip withFrames(VideoFrames frames) {
        return new Clip(frames, flow, audio, boxes, segments, text, source);
    }

    public Clip withFlow(FloatTensor flow) {
        return new Clip(frames, flow, audio, boxes, segments, text, source);
    }

    public Clip withAudio(AudioTrack audio) {
        return new Clip(frames, flow, audio, boxes, segments, text, source);
    }

    public Clip withBoxes(List<Box> boxes) {
        return new Clip(frames, flow, audio, boxes, segments, text, source);
    }

    public Clip withSegments(List<Segment> segments) {
        return new Clip(frames, flow, audio, boxes, segments, text, source);
    }

    public Clip withText(String text) {
        return new Clip(frames, flow, audio, boxes, segments, text, source);
    }

    /**
     * The h×w window at (y, x) of every plane of 2×L×H×W flow, mirrored and its horizontal
     * channel negated when {@code flip}: a point moving right moves left in the mirror.
     */
    private static FloatTensor cutFlow(FloatTensor flow, int y, int x, int h, int w, boolean flip) {
        long[] shape = flow.shape();
        int planes = Math.toIntExact(shape[0] * shape[1]);
        int fields = Math.toIntExact(shape[1]);
        int height = Math.toIntExact(shape[2]);
        int width = Math.toIntExact(shape[3]);
        float[] in = flow.data();
        float[] out = new float[planes * h * w];
        int o = 0;
        for (int p = 0; p < planes; p++) {
            float sign = flip && p < fields ? -1f : 1f;
            int plane = p * height * width;
            for (int r = 0; r < h; r++) {
                int row = plane + (y + r) * width + x;
                if (flip) {
                    for (int k = 0; k < w; k++) {
                        out[o++] = sign * in[row + w - 1 - k];
                    }
                } else {
                    System.arraycopy(in, row, out, o, w);
                    o += w;
                }
            }
        }
        return new FloatTensor(new long[] {shape[0], shape[1], h, w}, out);
    }

    /**
     * A box on one frame of the clip, in pixels of its frames (corners, x to the right, y down).
     *
     * @param frame the clip's time step it lies on
     * @param label its class, or -1
     */
    public record Box(int frame, float x1, float y1, float x2, float y2, int label) {
        public Box {
            if (!(x2 >= x1 && y2 >= y1)) {
                throw new IllegalArgumentException("a box needs x1 <= x2 and y1 <= y2, got (" + x1 + ", " + y1
                        + ", " + x2 + ", " + y2 + ")");
            }
        }
    }

    /** A labelled time span, in seconds of the video. */
    public record Segment(double startSeconds, double endSeconds, int label) {}

    /**
     * Where a clip comes from.
     *
     * @param sample the video (file, label, annotated segment)
     * @param clipIndex which of the video's sampled clips this is
     * @param frameIndices the decoded frames the clip was sampled at, in the video
     * @param startSeconds the clip's first sampled frame, in seconds of the video
     * @param endSeconds just after its last sampled frame, in seconds of the video
     * @param videoSeconds the length of what was sampled from (the video, its annotated segment, or
     *     the part that has flow after it)
     */
    public record Source(VideoSample sample, int clipIndex, int[] frameIndices, double startSeconds,
            double endSeconds, double videoSeconds) {
        public Source {
            Objects.requireNonNull(sample, "sample");
            frameIndices = frameIndices.clone();
        }

        public Path video() {
            return sample.path();
        }

        /** The video's label, or -1. */
        public int label() {
            return sample.label();
        }

        @Override
        public int[] frameIndices() {
            return frameIndices.clone();
        }
    }
}

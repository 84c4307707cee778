package dev.kinema.flow;

import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoDecodeException;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A {@link FlowSource} that computes flow on the fly: decodes the video with {@link VideoReader} at
 * the settings' size, converts frames {@code 0, step, 2·step, ...} to gray and runs the method on
 * each consecutive pair. A video of N frames gives {@code (N − 1) / step} fields (integer division).
 *
 * <p>Fields are computed when a caller copies them, not when the video is opened (see
 * {@link #flowOf}). Thread-safe: each call opens its own reader and estimator. Flow is exact
 * (floats, not clipped); a {@link FlowCache} of the same settings gives the same flow within its
 * quantisation.
 */
public final class ComputedFlow implements FlowSource {
    /** Frames decoded per read, to bound memory on long videos. */
    private static final int CHUNK = 32;

    private final FlowSettings settings;

    public ComputedFlow(FlowSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public FlowSettings settings() {
        return settings;
    }

    /**
     * The flow of {@code video}, computed when asked for: opening it only reads the frame count and
     * size, and {@link FlowVideo#copy} decodes and computes just the fields it returns, so a loader
     * that needs L fields of a long video pays for L, not for the whole video.
     */
    @Override
    public FlowVideo flowOf(Path video) throws IOException {
        try (VideoReader reader = VideoReader.open(video, readerOptions(settings))) {
            int fields = Math.max(0, (reader.frameCount() - 1) / settings.step());
            return new OnDemand(video, settings, fields, reader.outputHeight(), reader.outputWidth());
        } catch (VideoDecodeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static ReaderOptions readerOptions(FlowSettings settings) {
        return ReaderOptions.builder().optSize(settings.frameSize()).build();
    }

    /** Fields computed per {@link #copy}: each call opens its own reader and estimator, so it is thread-safe. */
    private record OnDemand(Path video, FlowSettings settings, int fields, int height, int width) implements FlowVideo {
        @Override
        public int step() {
            return settings.step();
        }

        /**
         * @throws VideoDecodeException naming the file, if the frames cannot be decoded
         */
        @Override
        public void copy(int first, int count, float[] dst, int offset) {
            FlowVideos.checkRange(this, first, count);
            if (count == 0) {
                return;
            }
            int[] indices = new int[count + 1];
            for (int i = 0; i <= count; i++) {
                indices[i] = (first + i) * settings.step();
            }
            VideoFrames frames;
            try (VideoReader reader = VideoReader.open(video, readerOptions(settings))) {
                frames = reader.read(indices);
            }
            between(frames, settings.method(), settings.step()).copy(0, count, dst, offset);
        }
    }

    /** Receives the fields of a video one at a time, so a caller can store them as it likes. */
    interface FieldSink {
        /** Called once, before the first field. */
        void start(int fields, int height, int width);

        /** Field {@code k} as 2×H×W floats, in a buffer reused for the next field. */
        void field(int k, float[] flow);
    }

    /**
     * Computes the fields of {@code video} in order into {@code sink}; memory is a few frames,
     * whatever the video's length.
     */
    static void compute(Path video, FlowSettings settings, FieldSink sink) {
        try (VideoReader reader = VideoReader.open(video, readerOptions(settings));
                FlowEstimator estimator = FlowEstimator.create(settings.method())) {
            int step = settings.step();
            int h = reader.outputHeight();
            int w = reader.outputWidth();
            int plane = h * w;
            int sampled = (reader.frameCount() - 1) / step + 1;
            sink.start(sampled - 1, h, w);
            float[] field = new float[2 * plane];
            byte[] prev = new byte[plane];
            byte[] next = new byte[plane];
            for (int first = 0; first < sampled; first += CHUNK) {
                int n = Math.min(CHUNK, sampled - first);
                int[] indices = new int[n];
                for (int i = 0; i < n; i++) {
                    indices[i] = (first + i) * step;
                }
                VideoFrames frames = reader.read(indices);
                for (int i = 0; i < n; i++) {
                    int k = first + i;
                    FlowEstimator.toGray(frames.rgb(), i * plane * 3, h, w, next, 0);
                    if (k > 0) {
                        estimator.compute(prev, 0, next, 0, h, w, field, 0);
                        sink.field(k - 1, field);
                    }
                    byte[] t = prev;
                    prev = next;
                    next = t;
                }
            }
        }
    }

    /**
     * The flow between consecutive frames of {@code frames} (any stack, e.g. frames read at a
     * step), reported with {@code step}: {@code frames() − 1} fields.
     */
    public static FlowFields between(VideoFrames frames, FlowMethod method, int step) {
        int h = frames.height();
        int w = frames.width();
        int plane = h * w;
        int fields = Math.max(0, frames.frames() - 1);
        byte[] gray = new byte[frames.frames() * plane];
        for (int t = 0; t < frames.frames(); t++) {
            FlowEstimator.toGray(frames.rgb(), t * plane * 3, h, w, gray, t * plane);
        }
        float[] flow = new float[fields * 2 * plane];
        try (FlowEstimator estimator = FlowEstimator.create(method)) {
            for (int k = 0; k < fields; k++) {
                estimator.compute(gray, k * plane, gray, (k + 1) * plane, h, w, flow, k * 2 * plane);
            }
        }
        return new FlowFields(flow, fields, step, h, w);
    }

    @Override
    public String toString() {
        return "ComputedFlow[" + settings + "]";
    }
}

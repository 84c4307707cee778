package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_DATA_DISPLAYMATRIX;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_move_ref;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_side_data_get;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_DURATION_FROM_BITRATE;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_display_rotation_get;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avcodec.AVPacketSideData;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Reads frames of a video file by index, straight from FFmpeg.
 *
 * <p>Frame {@code i} is the i-th frame in presentation order, whatever the decode order. Frames
 * come back upright (rotation metadata honoured) and already at the requested size: FFmpeg's
 * scaler resizes each frame once, from the decoder's picture straight into the output.
 *
 * <p>Decoding is the cost that matters, so the reader decodes as little as it can:
 * <ul>
 *   <li>it seeks to the keyframe before a requested frame when a keyframe lies between the current
 *       position and that frame (so whole groups of pictures holding nothing requested are never
 *       decoded), and otherwise decodes on ({@link ReaderOptions.Strategy#AUTO});
 *   <li>packets of frames nobody asked for are sent with {@code skip_frame=NONREF}, so the decoder
 *       drops them entirely when no other frame depends on them (most B-frames);
 *   <li>only requested frames are converted and scaled.
 * </ul>
 *
 * <p>Frames are identified by their timestamps, learned by one pass over the packets when the file
 * is opened ({@link FrameIndex}). Where timestamps cannot identify frames (missing or repeated), the
 * reader falls back to decoding from the start and counting frames, which is always right.
 *
 * <p>Errors are {@link VideoDecodeException}s naming the file and the reason: a missing, empty,
 * non-video, truncated or damaged file, a corrupt frame, or a read that exceeds the time bound.
 * A reader is not thread-safe; open one per thread (they are cheap).
 *
 * <pre>{@code
 * try (VideoReader reader = VideoReader.open(path,
 *         ReaderOptions.builder().optSize(FrameSize.exact(112, 112)).build())) {
 *     VideoFrames clip = reader.read(0, 4, 8, 12);
 * }
 * }</pre>
 */
public final class VideoReader implements AutoCloseable {
    private static final int EAGAIN = -11;
    private static final int AV_FRAME_FLAG_CORRUPT = 1;

    private final Path path;
    private final ReaderOptions options;
    private MediaFile file;
    private final int stream;
    private final AVCodecContext decoder;
    private final FrameIndex index;
    private final VideoInfo info;
    private final int rotation;
    private final int outWidth;
    private final int outHeight;
    private final int scaleWidth;
    private final int scaleHeight;
    private final double timeBase;
    private final AVPacket packet;
    private final AVFrame frame;
    /** A packet read ahead while checking where a seek landed; sent before anything else. */
    private final AVPacket pending;
    private boolean hasPending;
    private final ReadStats stats = new ReadStats();

    private SwsContext sws;
    private BytePointer scaled;
    private PointerPointer<BytePointer> scaledPlanes;
    private IntPointer scaledStrides;

    /** Decode-order position of the last packet read, -1 before the first. */
    private int position = -1;
    /**
     * First decode position read during the current {@link #read} (or since its last seek): packets
     * from here on were sent knowing which frames are wanted, so their frames will still come out.
     */
    private int freshFrom;
    /** Frames output since the last rewind to the start; used only when counting frames. */
    private int framesOutput;
    private boolean flushSent;
    private boolean closed;
    /** Frames are identified by counting decoder output, because timestamps cannot identify them. */
    private boolean countFrames;
    /** Timestamp of the last frame output since the last seek, to catch timestamps out of order. */
    private long lastOutputPts = Long.MIN_VALUE;

    private VideoReader(Path path, ReaderOptions options) {
        this.path = path;
        this.options = options;
        this.file = MediaFile.open(path, options.timeout());
        AVCodecContext dec = null;
        AVPacket pkt = null;
        AVFrame frm = null;
        try {
            int s = av_find_best_stream(file.ctx, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
            if (s < 0) {
                throw new VideoDecodeException(path, "no video stream (" + file.containerName() + " file with "
                        + file.ctx.nb_streams() + " other stream(s))");
            }
            this.stream = s;
            AVStream st = file.ctx.streams(s);
            for (int i = 0; i < file.ctx.nb_streams(); i++) {
                if (i != s) {
                    file.ctx.streams(i).discard(org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL);
                }
            }
            AVCodecParameters par = st.codecpar();
            AVCodec codec = avcodec_find_decoder(par.codec_id());
            if (codec == null) {
                throw new VideoDecodeException(path, "no decoder for video codec "
                        + avcodec_get_name(par.codec_id()).getString());
            }
            dec = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(dec, par);
            dec.pkt_timebase(st.time_base());
            dec.thread_count(options.threads());
            // Explicit, not libavcodec's FRAME|SLICE default: the choice is then the caller's and visible.
            dec.thread_type(options.threadType().ffmpegFlags());
            int err = avcodec_open2(dec, codec, (PointerPointer<?>) null);
            if (err < 0) {
                throw new VideoDecodeException(path, "cannot open the " + codec.name().getString()
                        + " decoder (" + MediaFile.describe(err) + ")");
            }
            if (par.width() <= 0 || par.height() <= 0) {
                throw new VideoDecodeException(path, "the video stream has no picture size");
            }
            this.decoder = dec;
            this.rotation = rotationOf(par);
            this.timeBase = st.time_base().num() / (double) st.time_base().den();
            this.index = FrameIndex.scan(file, s, options.timeout());
            if (index.frames() == 0) {
                throw new VideoDecodeException(path, "the video stream has no frames");
            }
            long declared = st.nb_frames();
            checkComplete(st, declared);
            // A stream the decoder reorders (B-frames) whose container gives pts == dts everywhere
            // carries decode times, not presentation times (box.mp4 in shared/data is one).
            this.countFrames = !index.timestampsReliable || (index.ptsEqualsDts && dec.has_b_frames() > 0);
            boolean upright = rotation == 90 || rotation == 270;
            int displayW = upright ? par.height() : par.width();
            int displayH = upright ? par.width() : par.height();
            int[] out = options.size().resolve(displayW, displayH);
            this.outWidth = out[0];
            this.outHeight = out[1];
            this.scaleWidth = upright ? outHeight : outWidth;
            this.scaleHeight = upright ? outWidth : outHeight;
            this.info = describe(st, par, displayW, displayH, declared);
            pkt = av_packet_alloc();
            frm = av_frame_alloc();
            this.packet = pkt;
            this.frame = frm;
            this.pending = av_packet_alloc();
            rewind();
        } catch (RuntimeException e) {
            if (frm != null) {
                av_frame_free(frm);
            }
            if (pkt != null) {
                av_packet_free(pkt);
            }
            if (dec != null) {
                avcodec_free_context(dec);
            }
            file.close();
            throw e;
        } finally {
            Deadline.clear();
        }
    }

    public static VideoReader open(Path file) {
        return open(file, ReaderOptions.defaults());
    }

    public static VideoReader open(Path file, ReaderOptions options) {
        return new VideoReader(file, options);
    }

    /** What the file holds; sizes are as displayed (after rotation). */
    public VideoInfo info() {
        return info;
    }

    /** Frames in presentation order. */
    public int frameCount() {
        return index.frames();
    }

    /** The average frame rate. */
    public double fps() {
        return info.fps();
    }

    /** Presentation time of frame {@code i} in seconds from the first frame. */
    public double timestamp(int i) {
        checkIndex(i);
        return (index.pts[i] - index.pts[0]) * timeBase;
    }

    /** Width of the frames this reader returns. */
    public int outputWidth() {
        return outWidth;
    }

    /** Height of the frames this reader returns. */
    public int outputHeight() {
        return outHeight;
    }

    /** Counters of the work done so far, for benchmarks and tests. */
    public ReadStats stats() {
        return stats;
    }

    /**
     * The frames at {@code indices}, in the order given (repeats allowed).
     *
     * @throws VideoDecodeException when a frame cannot be decoded, or the read exceeds the time bound
     */
    public VideoFrames read(int... indices) {
        ensureOpen();
        if (indices.length == 0) {
            throw new IllegalArgumentException("no frame indices given");
        }
        for (int i : indices) {
            checkIndex(i);
        }
        int[] targets = Arrays.stream(indices).distinct().sorted().toArray();
        byte[][] decoded = new byte[frameCount()][];
        Deadline.start(options.timeout());
        try {
            if (!countFrames) {
                try {
                    readByTimestamp(targets, decoded);
                } catch (TimestampsOutOfOrder e) {
                    stats.fallbacks++;
                    countFrames = true;
                    Arrays.fill(decoded, null);
                }
            }
            if (countFrames) {
                readByCounting(targets, decoded);
            }
        } finally {
            Deadline.clear();
        }
        int n = outWidth * outHeight * 3;
        byte[] rgb = new byte[indices.length * n];
        double[] times = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(decoded[indices[k]], 0, rgb, k * n, n);
            times[k] = timestamp(indices[k]);
        }
        return new VideoFrames(rgb, indices.length, outHeight, outWidth, indices.clone(), times);
    }

    /**
     * The frames at {@code indices} as a T×C×H×W tensor in {@code manager}: FLOAT32 scaled to [0, 1]
     * (the values {@code dev.kinema.data.transforms.ToTensor} gives without normalisation; it also
     * normalises and lays out clips for models), or UINT8 in [0, 255].
     */
    public NDArray readTensor(NDManager manager, DataType type, int... indices) {
        VideoFrames frames = read(indices);
        if (type != DataType.FLOAT32 && type != DataType.UINT8) {
            throw new IllegalArgumentException("frames come as FLOAT32 or UINT8, not " + type);
        }
        int t = frames.frames();
        int plane = frames.height() * frames.width();
        byte[] src = frames.rgb();
        byte[] chw = new byte[src.length];
        for (int f = 0; f < t; f++) {
            int base = f * plane * 3;
            for (int p = 0; p < plane; p++) {
                chw[base + p] = src[base + p * 3];
                chw[base + plane + p] = src[base + p * 3 + 1];
                chw[base + 2 * plane + p] = src[base + p * 3 + 2];
            }
        }
        Shape shape = new Shape(t, 3, frames.height(), frames.width());
        if (type == DataType.UINT8) {
            return manager.create(ByteBuffer.wrap(chw), shape, DataType.UINT8);
        }
        float[] scaled = new float[chw.length];
        for (int i = 0; i < chw.length; i++) {
            scaled[i] = (chw[i] & 0xff) / 255f;
        }
        return manager.create(scaled, shape);
    }

    /**
     * Decodes every frame, converting none, to prove the file is whole: a damaged packet, a frame
     * the decoder marks corrupt, or fewer frames than indexed ends in a {@link VideoDecodeException}.
     * Costs one full decode; {@code kinema probe} does it unless told not to.
     *
     * @return the number of frames decoded
     */
    public int verify() {
        ensureOpen();
        Deadline.start(options.timeout());
        try {
            rewind();
            int decodedFrames = 0;
            while (true) {
                Deadline.check(path, options.timeout(), "verifying");
                int err = avcodec_receive_frame(decoder, frame);
                if (err == EAGAIN) {
                    feedPacket(null, true);
                    continue;
                }
                if (err == AVERROR_EOF) {
                    break;
                }
                if (err < 0) {
                    throw new VideoDecodeException(path, "decoding failed after frame " + decodedFrames + " ("
                            + MediaFile.describe(err) + ")");
                }
                try {
                    checkNotCorrupt(decodedFrames);
                    decodedFrames++;
                } finally {
                    av_frame_unref(frame);
                }
            }
            if (decodedFrames < frameCount()) {
                throw new VideoDecodeException(path, "only " + decodedFrames + " of " + frameCount()
                        + " frames can be decoded");
            }
            rewind();
            return decodedFrames;
        } finally {
            Deadline.clear();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        av_frame_free(frame);
        av_packet_free(packet);
        av_packet_free(pending);
        avcodec_free_context(decoder);
        if (sws != null) {
            sws_freeContext(sws);
        }
        if (scaled != null) {
            scaled.close();
            scaledPlanes.close();
            scaledStrides.close();
        }
        file.close();
    }

    // ---------------------------------------------------------------------------------------------
    // Reading by timestamp: seek where it pays, skip what nobody needs.

    private void readByTimestamp(int[] targets, byte[][] decoded) {
        long[] wantedPts = new long[targets.length];
        for (int k = 0; k < targets.length; k++) {
            wantedPts[k] = index.pts[targets[k]];
        }
        freshFrom = position + 1;
        for (int target : targets) {
            if (decoded[target] != null) {
                continue;
            }
            long ts = index.pts[target];
            int targetPacket = index.packetOf(ts);
            int key = index.keyframeBefore(ts, targetPacket);
            // A frame whose packet was read before this read() may have been dropped as unneeded.
            boolean behind = targetPacket < freshFrom;
            boolean seek = switch (options.strategy()) {
                case SEEK -> true;
                case SEQUENTIAL -> behind;
                case AUTO -> behind || key > position + 1;
            };
            if (seek) {
                seekTo(options.strategy() == ReaderOptions.Strategy.SEQUENTIAL ? -1 : key);
            }
            if (!decodeUntil(target, wantedPts, decoded)) {
                // The seek landed past the frame (an inexact index, an open GOP): decode from the start.
                stats.fallbacks++;
                seekTo(-1);
                if (!decodeUntil(target, wantedPts, decoded)) {
                    throw new VideoDecodeException(path, "frame " + target + " could not be decoded: the stream ends or"
                            + " is damaged before it (" + frameCount() + " frames indexed)");
                }
            }
        }
    }

    /** Decodes forward until frame {@code target} is stored; false if it went past it or the stream ended. */
    private boolean decodeUntil(int target, long[] wantedPts, byte[][] decoded) {
        while (true) {
            Deadline.check(path, options.timeout(), "reading frames");
            int received = receive(wantedPts, decoded, target);
            if (decoded[target] != null) {
                return true;
            }
            if (received == Integer.MAX_VALUE) {
                return false; // went past the target
            }
            if (received == AVERROR_EOF) {
                return false;
            }
            feedPacket(wantedPts, false);
        }
    }

    /**
     * Receives every frame the decoder has ready. Returns AVERROR_EOF when the decoder is drained,
     * Integer.MAX_VALUE when a frame after {@code target} appeared while the target is still missing,
     * else 0.
     */
    private int receive(long[] wantedPts, byte[][] decoded, int target) {
        while (true) {
            int err = avcodec_receive_frame(decoder, frame);
            if (err == EAGAIN) {
                return 0;
            }
            if (err == AVERROR_EOF) {
                return AVERROR_EOF;
            }
            if (err < 0) {
                throw new VideoDecodeException(path, "decoding failed near packet " + position + " ("
                        + MediaFile.describe(err) + ")");
            }
            try {
                stats.framesDecoded++;
                long ts = frame.pts() != AV_NOPTS_VALUE ? frame.pts() : frame.best_effort_timestamp();
                if (ts < lastOutputPts) {
                    // The decoder emits presentation order; timestamps going backwards mean the
                    // container's timestamps are not presentation times.
                    throw new TimestampsOutOfOrder();
                }
                lastOutputPts = ts;
                int i = index.frameAt(ts);
                if (i < 0) {
                    continue; // a frame the index does not know (e.g. before an edit list): never requested
                }
                if (Arrays.binarySearch(wantedPts, ts) >= 0 && decoded[i] == null) {
                    decoded[i] = convert(i);
                }
                if (i > target && decoded[target] == null) {
                    return Integer.MAX_VALUE;
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading by counting, for files whose timestamps cannot tell frames apart.

    private void readByCounting(int[] targets, byte[][] decoded) {
        // Counting is only right from the first frame on.
        if (position >= 0) {
            seekTo(-1);
        }
        int last = targets[targets.length - 1];
        boolean[] wanted = new boolean[frameCount()];
        for (int t : targets) {
            wanted[t] = true;
        }
        while (decoded[last] == null) {
            Deadline.check(path, options.timeout(), "reading frames");
            int err = avcodec_receive_frame(decoder, frame);
            if (err == EAGAIN) {
                feedPacket(null, true);
                continue;
            }
            if (err == AVERROR_EOF) {
                throw new VideoDecodeException(path, "the stream ended after " + framesOutput + " frames, before frame "
                        + last + " (file truncated or damaged)");
            }
            if (err < 0) {
                throw new VideoDecodeException(path, "decoding failed after frame " + framesOutput + " ("
                        + MediaFile.describe(err) + ")");
            }
            try {
                int i = framesOutput++;
                stats.framesDecoded++;
                if (i < wanted.length && wanted[i]) {
                    decoded[i] = convert(i);
                }
            } finally {
                av_frame_unref(frame);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Packets, seeking and conversion.

    /** Reads the next video packet and sends it to the decoder, or starts draining at the end. */
    private void feedPacket(long[] wantedPts, boolean decodeAll) {
        if (flushSent) {
            return;
        }
        while (true) {
            int err;
            if (hasPending) {
                av_packet_move_ref(packet, pending);
                hasPending = false;
                err = 0;
            } else {
                err = av_read_frame(file.ctx, packet);
            }
            if (err == AVERROR_EOF) {
                flushSent = true;
                avcodec_send_packet(decoder, null);
                return;
            }
            if (err < 0) {
                Deadline.check(path, options.timeout(), "reading frames");
                throw new VideoDecodeException(path, "the file is damaged near packet " + (position + 1) + " ("
                        + MediaFile.describe(err) + ")");
            }
            try {
                if (packet.stream_index() != stream) {
                    continue;
                }
                position = locate(packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts(), position + 1);
                stats.packetsRead++;
                boolean needed = decodeAll || Arrays.binarySearch(wantedPts, timestampOf(packet)) >= 0;
                decoder.skip_frame(needed ? AVDISCARD_DEFAULT : AVDISCARD_NONREF);
                if (!needed) {
                    stats.packetsSkippable++;
                }
                FfmpegRuntime.clearLastError();
                err = avcodec_send_packet(decoder, packet);
                if (err < 0 && err != EAGAIN) {
                    throw new VideoDecodeException(path, "the video data is damaged at packet " + position + " ("
                            + MediaFile.describe(err) + ")");
                }
                return;
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    private long timestampOf(AVPacket p) {
        return p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
    }

    /** Decode-order position of the packet with timestamp {@code ts}, searching from {@code hint}. */
    private int locate(long ts, int hint) {
        int n = index.decodePts.length;
        if (hint >= 0 && hint < n && index.decodePts[hint] == ts) {
            return hint;
        }
        int found = index.packetOf(ts);
        return found >= 0 ? found : Math.min(hint, n - 1);
    }

    /**
     * Moves the demuxer to the keyframe at decode position {@code keyPacket}, or to the start for -1.
     *
     * <p>Demuxers disagree on what a seek timestamp means (MP4 matches presentation times, MPEG-PS
     * lands near decode times, some land a packet late), so every seek is checked: packets are
     * dropped up to the first keyframe, which must not lie after the one wanted. A decoder is never
     * fed from a non-keyframe, which could give frames without their references. When no attempt
     * lands right, reading restarts from the beginning, which is always right.
     */
    private void seekTo(int keyPacket) {
        stats.seeks++;
        if (keyPacket <= 0) {
            rewind();
            return;
        }
        long pts = index.decodePts[keyPacket];
        long dts = index.decodeDts[keyPacket];
        int earlier = index.keyframeBefore(pts - 1, keyPacket - 1);
        long[] attempts = {
            pts,
            dts != AV_NOPTS_VALUE ? Math.min(dts, pts) : pts,
            earlier > 0 ? index.decodePts[earlier] : Long.MIN_VALUE
        };
        for (long ts : attempts) {
            if (ts == Long.MIN_VALUE || av_seek_frame(file.ctx, stream, ts, AVSEEK_FLAG_BACKWARD) < 0) {
                continue;
            }
            avcodec_flush_buffers(decoder);
            flushSent = false;
            lastOutputPts = Long.MIN_VALUE;
            int landed = readToKeyframe();
            if (landed >= 0 && landed <= keyPacket) {
                position = landed - 1;
                freshFrom = landed;
                return;
            }
            av_packet_unref(pending);
            hasPending = false;
        }
        stats.fallbacks++;
        rewind();
    }

    /**
     * Reads packets until a keyframe of the video stream and keeps it in {@link #pending}; returns
     * its decode position, or -1 at the end of the file.
     */
    private int readToKeyframe() {
        while (true) {
            Deadline.check(path, options.timeout(), "seeking");
            int err = av_read_frame(file.ctx, pending);
            if (err < 0) {
                return -1;
            }
            if (pending.stream_index() == stream && (pending.flags() & AV_PKT_FLAG_KEY) != 0) {
                hasPending = true;
                return locate(timestampOf(pending), -1);
            }
            av_packet_unref(pending);
        }
    }

    /** Back to the first packet; reopens the file when the container cannot seek there. */
    private void rewind() {
        if (hasPending) {
            av_packet_unref(pending);
            hasPending = false;
        }
        long first = index.decodeDts.length > 0 && index.decodeDts[0] != AV_NOPTS_VALUE
                ? Math.min(index.decodeDts[0], index.decodePts[0]) : index.pts[0];
        int err = av_seek_frame(file.ctx, stream, first, AVSEEK_FLAG_BACKWARD);
        if (err < 0) {
            err = av_seek_frame(file.ctx, -1, Long.MIN_VALUE, AVSEEK_FLAG_BACKWARD);
        }
        if (err < 0) {
            stats.reopens++;
            MediaFile fresh = MediaFile.open(path, options.timeout());
            file.close();
            file = fresh;
            for (int i = 0; i < file.ctx.nb_streams(); i++) {
                if (i != stream) {
                    file.ctx.streams(i).discard(org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL);
                }
            }
        }
        avcodec_flush_buffers(decoder);
        flushSent = false;
        lastOutputPts = Long.MIN_VALUE;
        position = -1;
        freshFrom = 0;
        framesOutput = 0;
    }

    /** Scales the current frame into an upright RGB picture of the output size. */
    private byte[] convert(int frameIndex) {
        checkNotCorrupt(frameIndex);
        stats.framesConverted++;
        sws = sws_getCachedContext(sws, frame.width(), frame.height(), frame.format(),
                scaleWidth, scaleHeight, AV_PIX_FMT_RGB24, SWS_BILINEAR, null, null, (DoublePointer) null);
        if (sws == null) {
            throw new VideoDecodeException(path, "cannot convert pixel format " + frame.format() + " to RGB");
        }
        int stride = (scaleWidth * 3 + 63) & ~63;
        if (scaled == null) {
            scaled = new BytePointer((long) stride * scaleHeight + 64);
            scaledPlanes = new PointerPointer<>(4);
            scaledPlanes.put(0, scaled);
            scaledStrides = new IntPointer(4).put(0, stride);
        }
        sws_scale(sws, new PointerPointer<>(frame), frame.linesize(), 0, frame.height(), scaledPlanes, scaledStrides);
        byte[] rgb = new byte[scaleWidth * scaleHeight * 3];
        int row = scaleWidth * 3;
        for (int y = 0; y < scaleHeight; y++) {
            scaled.position((long) y * stride).get(rgb, y * row, row);
        }
        scaled.position(0);
        return PixelRotation.rotate(rgb, scaleWidth, scaleHeight, rotation);
    }

    private void checkNotCorrupt(int frameIndex) {
        if ((frame.flags() & AV_FRAME_FLAG_CORRUPT) != 0 || frame.decode_error_flags() != 0) {
            String why = FfmpegRuntime.lastError();
            throw new VideoDecodeException(path, "frame " + frameIndex + " is corrupt"
                    + (why != null ? " (FFmpeg: " + why + ")" : ""));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Metadata.

    /**
     * Reports a file whose frames stop short of what its container declares: fewer frames than the
     * declared count (unless the frames still span the declared duration, as in AVI files with
     * dropped frames), or, where no count is declared, frames that cover well under the declared
     * duration. A bitrate-based duration guess is never trusted for this.
     */
    private void checkComplete(AVStream st, long declared) {
        boolean streamDuration = st.duration() != AV_NOPTS_VALUE && st.duration() > 0;
        int present = index.frames() + index.discarded;
        if (declared > 0 && present < declared && !(streamDuration && index.covers(st.duration()))) {
            throw new VideoDecodeException(path, "the file is truncated or damaged: the container declares "
                    + declared + " frames but only " + present + " are present");
        }
        long ctxDuration = file.ctx.duration();
        boolean trusted = file.ctx.duration_estimation_method() != AVFMT_DURATION_FROM_BITRATE;
        if (declared <= 0 && trusted && ctxDuration != AV_NOPTS_VALUE && ctxDuration > 0) {
            double declaredSeconds = ctxDuration / (double) AV_TIME_BASE;
            double coveredSeconds = (index.end - index.pts[0]) * timeBase;
            if (coveredSeconds < 0.8 * declaredSeconds && declaredSeconds - coveredSeconds > 0.5) {
                throw new VideoDecodeException(path, String.format(java.util.Locale.ROOT,
                        "the file is truncated or damaged: its frames cover %.2f s of the %.2f s the container declares",
                        coveredSeconds, declaredSeconds));
            }
        }
    }

    private VideoInfo describe(AVStream st, AVCodecParameters par, int width, int height, long declared) {
        AVRational rate = st.avg_frame_rate();
        if (rate.num() <= 0 || rate.den() <= 0) {
            rate = st.r_frame_rate();
        }
        double fps = rate.num() > 0 && rate.den() > 0 ? rate.num() / (double) rate.den() : Double.NaN;
        double duration;
        if (st.duration() != AV_NOPTS_VALUE && st.duration() > 0) {
            duration = st.duration() * timeBase;
        } else if (file.ctx.duration() != AV_NOPTS_VALUE && file.ctx.duration() > 0) {
            duration = file.ctx.duration() / (double) AV_TIME_BASE;
        } else {
            duration = index.frames() / fps;
        }
        double measured = duration > 0 ? index.frames() / duration : Double.NaN;
        // The header's rate can describe time slots rather than pictures (AVI with dropped frames):
        // the rate that matches the frames a reader returns is the one samplers need.
        if (Double.isNaN(fps) || (!Double.isNaN(measured) && Math.abs(measured - fps) > 0.1 * fps)) {
            fps = measured;
        }
        int audio = av_find_best_stream(file.ctx, AVMEDIA_TYPE_AUDIO, -1, stream, (AVCodec) null, 0);
        String audioCodec = null;
        int sampleRate = 0;
        int channels = 0;
        if (audio >= 0) {
            AVCodecParameters ap = file.ctx.streams(audio).codecpar();
            audioCodec = avcodec_get_name(ap.codec_id()).getString();
            sampleRate = ap.sample_rate();
            channels = ap.ch_layout().nb_channels();
        }
        return new VideoInfo(path, file.containerName(), avcodec_get_name(par.codec_id()).getString(),
                width, height, rotation, fps, index.frames(), declared <= 0, duration,
                audio >= 0, audioCodec, sampleRate, channels);
    }

    /** Clockwise degrees that turn the stored picture upright, from the stream's display matrix. */
    private static int rotationOf(AVCodecParameters par) {
        AVPacketSideData sd = av_packet_side_data_get(par.coded_side_data(), par.nb_coded_side_data(),
                AV_PKT_DATA_DISPLAYMATRIX);
        if (sd == null || sd.isNull() || sd.size() < 36) {
            return 0;
        }
        double counterClockwise = av_display_rotation_get(new IntPointer(sd.data()));
        if (Double.isNaN(counterClockwise)) {
            return 0;
        }
        int clockwise = (int) Math.round(-counterClockwise);
        clockwise = ((clockwise % 360) + 360) % 360;
        // Only right angles can be applied exactly; anything else is reported but not applied.
        return clockwise % 90 == 0 ? clockwise : 0;
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= index.frames()) {
            throw new IndexOutOfBoundsException(path + ": frame " + i + " is out of range (the video has "
                    + index.frames() + " frames)");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("reader for " + path + " is closed");
        }
    }

    /** Signals that this file must be read by counting frames; never leaves the reader. */
    private static final class TimestampsOutOfOrder extends RuntimeException {
        TimestampsOutOfOrder() {
            super(null, null, false, false);
        }
    }

    /** Work counters, cumulative since the reader was opened. */
    public static final class ReadStats {
        long packetsRead;
        long packetsSkippable;
        long framesDecoded;
        long framesConverted;
        long seeks;
        long fallbacks;
        long reopens;

        /** Video packets read from the container (each one sent to the decoder). */
        public long packetsRead() {
            return packetsRead;
        }

        /** Packets sent with skip_frame=NONREF because no requested frame is in them. */
        public long packetsSkippable() {
            return packetsSkippable;
        }

        /** Frames the decoder produced (skipped non-reference frames never are). */
        public long framesDecoded() {
            return framesDecoded;
        }

        /** Frames scaled and converted to RGB: only requested ones. */
        public long framesConverted() {
            return framesConverted;
        }

        public long seeks() {
            return seeks;
        }

        /** Times a seek landed past its frame and the read restarted from the beginning. */
        public long fallbacks() {
            return fallbacks;
        }

        public long reopens() {
            return reopens;
        }

        @Override
        public String toString() {
            return "packets=" + packetsRead + " skippable=" + packetsSkippable + " decoded=" + framesDecoded
                    + " converted=" + framesConverted + " seeks=" + seeks + " fallbacks=" + fallbacks;
        }
    }
}

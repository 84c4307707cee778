package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.javacpp.PointerPointer;

/**
 * An opened container (FFmpeg's AVFormatContext) with the checks every Kinema reader needs before
 * touching a byte: the file exists, is a regular non-empty file, and FFmpeg recognises it.
 */
final class MediaFile implements AutoCloseable {
    final Path path;
    final AVFormatContext ctx;

    private MediaFile(Path path, AVFormatContext ctx) {
        this.path = path;
        this.ctx = ctx;
    }

    /** Opens and probes {@code path} within {@code timeout}; the caller must close the result. */
    static MediaFile open(Path path, Duration timeout) {
        FfmpegRuntime.init();
        if (!Files.exists(path)) {
            throw new VideoDecodeException(path, "no such file");
        }
        if (!Files.isRegularFile(path)) {
            throw new VideoDecodeException(path, "not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new VideoDecodeException(path, "file is not readable");
        }
        try {
            if (Files.size(path) == 0) {
                throw new VideoDecodeException(path, "file is empty (0 bytes)");
            }
        } catch (java.io.IOException e) {
            throw new VideoDecodeException(path, "cannot read file size: " + e.getMessage(), e);
        }
        Deadline.start(timeout);
        FfmpegRuntime.clearLastError();
        AVFormatContext ctx = avformat_alloc_context();
        Deadline.install(ctx.interrupt_callback());
        PointerPointer<AVFormatContext> holder = new PointerPointer<>(1);
        holder.put(0, ctx);
        try {
            int err = avformat_open_input(holder, new org.bytedeco.javacpp.BytePointer(path.toString()), null, null);
            if (err < 0) {
                // avformat_open_input frees the context on failure.
                throw new VideoDecodeException(path, Deadline.passed()
                        ? "opening took longer than " + timeout.toMillis() / 1000.0 + " s"
                        : "not a media file FFmpeg can read (" + describe(err) + ")");
            }
            err = avformat_find_stream_info(ctx, (PointerPointer<?>) null);
            if (err < 0) {
                avformat_close_input(ctx);
                throw new VideoDecodeException(path, "cannot read stream information (" + describe(err) + ")");
            }
            return new MediaFile(path, ctx);
        } finally {
            holder.close();
        }
    }

    /** FFmpeg's text for an error code, plus the last error FFmpeg logged on this thread if any. */
    static String describe(int err) {
        byte[] buf = new byte[256];
        av_strerror(err, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        String text = new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
        String logged = FfmpegRuntime.lastError();
        return logged != null && !logged.equals(text) ? text + "; FFmpeg: " + logged : text;
    }

    String containerName() {
        return ctx.iformat().name().getString();
    }

    @Override
    public void close() {
        avformat_close_input(ctx);
    }
}

package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One-time FFmpeg set-up for the whole JVM: FFmpeg's own console output is silenced and its
 * warnings and errors go to SLF4J (logger {@code dev.kinema.video.ffmpeg}) instead.
 *
 * <p>The last error FFmpeg logged on the current thread is kept, so that a decode failure can be
 * reported with FFmpeg's own words for the reason ("Invalid NAL unit size", ...).
 */
public final class FfmpegRuntime {
    private static final Logger LOG = LoggerFactory.getLogger("dev.kinema.video.ffmpeg");
    private static final ThreadLocal<String> LAST_ERROR = new ThreadLocal<>();
    private static volatile boolean initialised;
    // Held in a static field: FFmpeg keeps a raw pointer to it, and it must never be collected.
    private static LogCallback callback;

    private FfmpegRuntime() {}

    /** Idempotent; every Kinema class that touches FFmpeg calls it first. */
    public static void init() {
        if (initialised) {
            return;
        }
        synchronized (FfmpegRuntime.class) {
            if (initialised) {
                return;
            }
            callback = new Slf4jLogCallback();
            callback.retainReference();
            av_log_set_level(AV_LOG_WARNING);
            // The preset's native trampoline formats each line in C before calling us. Formatting
            // the va_list from Java (av_log_format_line2 in a raw av_log callback) reads garbage
            // and crashes the JVM as soon as an encoder logs a "%s" warning (libopenh264 does).
            setLogCallback(callback);
            initialised = true;
        }
    }

    /** The last FFmpeg error message logged on this thread since {@link #clearLastError()}, or null. */
    public static String lastError() {
        return LAST_ERROR.get();
    }

    public static void clearLastError() {
        LAST_ERROR.remove();
    }

    private static final class Slf4jLogCallback extends LogCallback {
        @Override
        public void call(int level, BytePointer line) {
            if (level > AV_LOG_WARNING) {
                return;
            }
            String text = line.getString().strip();
            if (text.isEmpty()) {
                return;
            }
            if (level <= AV_LOG_ERROR) {
                LAST_ERROR.set(text);
                LOG.debug("{}", text);
            } else {
                LOG.trace("{}", text);
            }
        }
    }
}

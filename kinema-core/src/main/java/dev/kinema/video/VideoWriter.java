package dev.kinema.video;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;

/**
 * Encodes RGB frames (and optionally float PCM audio) to a real video file through FFmpeg.
 *
 * <p>The container follows the file extension (mp4, mkv, avi, webm, ...). The default video codec
 * is H.264: the FFmpeg bundled with JavaCV encodes it with OpenH264 (baseline profile, so no
 * B-frames). The file appears at its final path only when {@link #close()} succeeds: until then
 * it is written beside it under a temporary name, so a crash never leaves a half-written video
 * that looks whole.
 *
 * <pre>{@code
 * try (VideoWriter w = VideoWriter.builder(Path.of("out.mp4")).setSize(160, 120).optFps(25).build()) {
 *     w.writeFrame(rgbBytes);
 * }
 * }</pre>
 */
public final class VideoWriter implements AutoCloseable {
    private final Path target;
    private final Path partial;
    private final FFmpegFrameRecorder recorder;
    private final int width;
    private final int height;
    private final int audioChannels;
    private final int sampleRate;
    private boolean closed;
    private boolean failed;

    private VideoWriter(Builder b) {
        FfmpegRuntime.init();
        this.target = b.path.toAbsolutePath();
        String name = target.getFileName().toString();
        this.partial = target.resolveSibling(".partial-" + System.nanoTime() + "-" + name);
        this.width = b.width;
        this.height = b.height;
        this.audioChannels = b.audioChannels;
        this.sampleRate = b.sampleRate;
        recorder = new FFmpegFrameRecorder(partial.toFile(), b.width, b.height, b.audioChannels);
        recorder.setFormat(b.format != null ? b.format : extension(name));
        recorder.setVideoCodecName(b.videoCodec);
        recorder.setPixelFormat(AV_PIX_FMT_YUV420P);
        recorder.setFrameRate(b.fps);
        recorder.setGopSize(b.gopSize > 0 ? b.gopSize : (int) Math.round(b.fps * 2));
        recorder.setVideoBitrate(b.bitrate > 0 ? b.bitrate : defaultBitrate(b.width, b.height, b.fps));
        if (b.audioChannels > 0) {
            recorder.setSampleRate(b.sampleRate);
            recorder.setAudioCodecName(b.audioCodec);
            recorder.setAudioBitrate(96_000);
        }
        try {
            Files.createDirectories(target.getParent());
            recorder.start();
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
            throw new VideoDecodeException(target, "cannot start encoder: " + e.getMessage(), e);
        }
    }

    public static Builder builder(Path path) {
        return new Builder(path);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Appends one H×W×3 RGB frame. */
    public void writeFrame(byte[] rgb) {
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("frame has " + rgb.length + " bytes, expected " + width * height * 3);
        }
        try {
            recorder.recordImage(width, height, Frame.DEPTH_UBYTE, 3, width * 3, AV_PIX_FMT_RGB24, ByteBuffer.wrap(rgb));
        } catch (FFmpegFrameRecorder.Exception e) {
            failed = true;
            throw new VideoDecodeException(target, "cannot encode frame: " + e.getMessage(), e);
        }
    }

    /** Appends every frame of {@code frames}, which must have this writer's size. */
    public void writeFrames(VideoFrames frames) {
        if (frames.width() != width || frames.height() != height) {
            throw new IllegalArgumentException("frames are " + frames.width() + "x" + frames.height()
                    + ", writer is " + width + "x" + height);
        }
        for (int t = 0; t < frames.frames(); t++) {
            writeFrame(frames.frame(t));
        }
    }

    /** Appends interleaved float PCM in [-1, 1] (channel-interleaved when there are several channels). */
    public void writeAudio(float[] interleaved) {
        if (audioChannels == 0) {
            throw new IllegalStateException("writer was built without audio (use optAudio)");
        }
        try {
            recorder.recordSamples(sampleRate, audioChannels, FloatBuffer.wrap(interleaved));
        } catch (FFmpegFrameRecorder.Exception e) {
            failed = true;
            throw new VideoDecodeException(target, "cannot encode audio: " + e.getMessage(), e);
        }
    }

    /** Finishes the file and moves it into place; after a failure the partial file is removed instead. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            recorder.stop();
            recorder.release();
            if (failed) {
                deleteQuietly(partial);
                return;
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(partial);
            throw new VideoDecodeException(target, "cannot finish video: " + e.getMessage(), e);
        } finally {
            try {
                recorder.close();
            } catch (org.bytedeco.javacv.FrameRecorder.Exception ignored) {
                // already released above
            }
        }
    }

    private static int defaultBitrate(int w, int h, double fps) {
        // ~0.15 bits per pixel per frame: visually clean for synthetic scenes, small on disk.
        return (int) Math.max(200_000, Math.min(8_000_000, w * (double) h * fps * 0.15));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            throw new IllegalArgumentException("cannot tell the container from '" + name + "': give it an extension");
        }
        String ext = name.substring(dot + 1).toLowerCase();
        return switch (ext) {
            case "mkv" -> "matroska";
            case "ts" -> "mpegts";
            case "mpg", "mpeg" -> "mpeg";
            default -> ext;
        };
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: the caller is already reporting the real failure
        }
    }

    /** DJL-style builder: {@code setX} for required values, {@code optY} for optional ones. */
    public static final class Builder {
        private final Path path;
        private int width;
        private int height;
        private double fps = 25;
        private int gopSize;
        private int bitrate;
        private String videoCodec = "libopenh264";
        private String format;
        private int audioChannels;
        private int sampleRate = 16_000;
        private String audioCodec = "aac";

        private Builder(Path path) {
            this.path = Objects.requireNonNull(path, "path");
        }

        public Builder setSize(int width, int height) {
            if (width <= 0 || height <= 0 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("size must be positive and even for yuv420p, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        public Builder optFps(double fps) {
            this.fps = fps;
            return this;
        }

        /** Frames between keyframes; default two seconds' worth. */
        public Builder optGopSize(int gopSize) {
            this.gopSize = gopSize;
            return this;
        }

        public Builder optBitrate(int bitsPerSecond) {
            this.bitrate = bitsPerSecond;
            return this;
        }

        /** An FFmpeg encoder name, e.g. "libopenh264", "mpeg4", "libvpx-vp9", "mjpeg". */
        public Builder optVideoCodec(String encoderName) {
            this.videoCodec = encoderName;
            return this;
        }

        /** An FFmpeg muxer name, when the extension does not tell it. */
        public Builder optFormat(String muxer) {
            this.format = muxer;
            return this;
        }

        /** Adds an audio track (AAC by default) of {@code channels} at {@code sampleRate}. */
        public Builder optAudio(int sampleRate, int channels) {
            this.sampleRate = sampleRate;
            this.audioChannels = channels;
            return this;
        }

        public Builder optAudioCodec(String encoderName) {
            this.audioCodec = encoderName;
            return this;
        }

        public VideoWriter build() {
            if (width == 0) {
                throw new IllegalStateException("setSize is required");
            }
            return new VideoWriter(this);
        }
    }
}

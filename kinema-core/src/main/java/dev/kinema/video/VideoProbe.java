package dev.kinema.video;

import java.nio.file.Path;
import java.time.Duration;

/** Metadata of a video file, as {@code kinema probe} prints it. */
public final class VideoProbe {
    private VideoProbe() {}

    /**
     * Probes {@code file}: container, codecs, displayed size, rotation, frame rate, frame count and
     * audio. The packets are read once (not decoded) so the frame count is checked against the
     * container's claim, and a truncated or damaged file is reported here rather than at training.
     */
    public static VideoInfo probe(Path file) {
        return probe(file, Duration.ofSeconds(60));
    }

    public static VideoInfo probe(Path file, Duration timeout) {
        try (VideoReader reader = VideoReader.open(file, ReaderOptions.builder().optTimeout(timeout).build())) {
            return reader.info();
        }
    }

    /**
     * Probes {@code file} and also decodes every frame (see {@link VideoReader#verify()}), so damage
     * that only the decoder sees, such as broken NAL units, is reported too.
     */
    public static VideoInfo verify(Path file, Duration timeout) {
        try (VideoReader reader = VideoReader.open(file, ReaderOptions.builder().optTimeout(timeout).build())) {
            reader.verify();
            return reader.info();
        }
    }
}

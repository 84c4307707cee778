package dev.kinema.synth;

import dev.kinema.video.VideoWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Encodes rendered frames and, optionally, a mono soundtrack to one file (H.264, AAC), the audio
 * interleaved one frame's worth at a time so the muxer never buffers much. The file appears only
 * once complete. Shared by every synthetic writer that renders frame by frame.
 */
final class VideoWithSound {
    /** Renders frame {@code i} into an H×W×3 RGB buffer. */
    interface FrameRenderer {
        void render(int i, byte[] rgb);
    }

    private VideoWithSound() {}

    /**
     * @param audio mono PCM at {@code sampleRate}, or null for a silent video
     */
    static void write(Path file, ClipSpec spec, FrameRenderer frames, float[] audio, int sampleRate) {
        VideoWriter.Builder builder = VideoWriter.builder(file).setSize(spec.width(), spec.height()).optFps(spec.fps());
        if (audio != null) {
            builder.optAudio(sampleRate, 1);
        }
        byte[] rgb = new byte[spec.width() * spec.height() * 3];
        int audioDone = 0;
        try (VideoWriter writer = builder.build()) {
            for (int i = 0; i < spec.frames(); i++) {
                frames.render(i, rgb);
                writer.writeFrame(rgb);
                if (audio != null) {
                    int upTo = i == spec.frames() - 1 ? audio.length
                            : (int) Math.min(audio.length, Math.round((i + 1) * sampleRate / spec.fps()));
                    if (upTo > audioDone) {
                        writer.writeAudio(Arrays.copyOfRange(audio, audioDone, upTo));
                        audioDone = upTo;
                    }
                }
            }
        }
    }
}

package dev.kinema.audio;

import dev.kinema.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * Writes mono WAV files (16-bit PCM, samples clipped to [-1, 1]) with the JDK's {@code javax.sound},
 * atomically; they are read back, like any audio, by {@code video.AudioReader}.
 */
public final class WavFiles {
    private WavFiles() {}

    public static Path write(Path file, float[] samples, int sampleRate) throws IOException {
        ByteBuffer pcm = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) {
            pcm.putShort((short) Math.round(Math.max(-1f, Math.min(1f, s)) * 32767));
        }
        AudioFormat format = new AudioFormat(sampleRate, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm.array()), format, samples.length)) {
            return AtomicFiles.write(file, out -> AudioSystem.write(in, AudioFileFormat.Type.WAVE, out));
        }
    }
}

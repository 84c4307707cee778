package dev.kinema.synth;

import dev.kinema.video.AudioReader;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import dev.kinema.video.VideoWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * A video re-encoded with its sound a known time late: a test case with a known offset for
 * audio-visual synchronisation ({@code kinema av-sync}), made from any video with sound.
 */
public final class DelayedSound {
    /** The rate the sound is written at: the synthesizer's, and Kinema's log-mel default. */
    private static final int RATE = 16_000;

    private DelayedSound() {}

    /**
     * Writes {@code to}: the frames of {@code from} as they are, its sound (mono, 16 kHz) moved
     * {@code delaySeconds} later, silence first and the end cut so picture and sound keep their length.
     *
     * @throws IllegalArgumentException when the delay is negative or not shorter than the sound
     * @throws IOException when {@code to} was not written
     */
    public static void write(Path from, Path to, double delaySeconds) throws IOException {
        float[] sound = AudioReader.read(from, RATE, true).samples()[0];
        int shift = (int) Math.round(delaySeconds * RATE);
        if (shift < 0 || shift >= sound.length) {
            throw new IllegalArgumentException(from + ": a delay of " + delaySeconds + " s does not fit its "
                    + sound.length / (double) RATE + " s of sound");
        }
        float[] late = new float[sound.length];
        System.arraycopy(sound, 0, late, shift, sound.length - shift);
        try (VideoReader reader = VideoReader.open(from);
                VideoWriter writer = VideoWriter.builder(to).setSize(reader.outputWidth(), reader.outputHeight())
                        .optFps(reader.fps()).optAudio(RATE, 1).build()) {
            VideoFrames frames = reader.read(IntStream.range(0, reader.frameCount()).toArray());
            writer.writeFrames(frames);
            writer.writeAudio(late);
        }
        if (!Files.isRegularFile(to)) {
            throw new IOException(to + ": not written");
        }
    }
}

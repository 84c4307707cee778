package dev.kinema.video;

/**
 * Decoded audio: float PCM in [-1, 1], one array per channel (a single array when mixed to mono).
 *
 * @param samples {@code samples[channel][i]}
 */
public record AudioTrack(float[][] samples, int sampleRate) {
    public int channels() {
        return samples.length;
    }

    public int length() {
        return samples.length == 0 ? 0 : samples[0].length;
    }

    public double durationSeconds() {
        return (double) length() / sampleRate;
    }
}

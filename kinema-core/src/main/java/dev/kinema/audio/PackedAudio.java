package dev.kinema.audio;

import dev.kinema.video.AudioTrack;

/**
 * How a clip's sound rides in the clip tensor ({@code data.loader.Modality.AUDIO} and
 * {@code RGB_AUDIO}): Kinema's default log-mel spectrogram ({@link MelSpectrogram}: 16 kHz, n_fft
 * 400, hop 160, 64 mels, {@code log(mel + 1e-6)}) of the clip's span, laid row by row (mel by mel)
 * into one T×H×W plane, so 64 mels × T·H·W/64 frames of 10 ms. The audio networks read the plane
 * back as a 1×64×(T·H·W/64) image with a reshape. A span shorter than that is padded with silence
 * ({@code log(1e-6)}), a longer one cut: choose T, H, W so the frames cover the span (8 frames of
 * 32×32 carry 128 log-mel frames, 1.28 s; 8 frames at stride 4 of a 25 fps video span 29 frames,
 * 1.16 s, so the last 12 columns are silence).
 */
public final class PackedAudio {
    public static final int SAMPLE_RATE = 16_000;
    public static final int MELS = 64;
    private static final MelSpectrogram MEL = MelSpectrogram.builder().optSampleRate(SAMPLE_RATE).optMels(MELS).build();
    private static final float SILENCE = (float) Math.log(MelSpectrogram.LOG_OFFSET);

    private PackedAudio() {}

    /** The log-mel frames a plane of {@code planeValues} carries. */
    public static int melFrames(long planeValues) {
        if (planeValues % MELS != 0 || planeValues < MELS) {
            throw new IllegalArgumentException("a T x H x W plane of " + planeValues + " values cannot carry " + MELS
                    + "-mel spectrogram frames: make H x W a multiple of " + MELS + " (e.g. a crop of 32 or 64)");
        }
        return Math.toIntExact(planeValues / MELS);
    }

    /** Writes the log-mel of {@code track} (mono, 16 kHz) into {@code out[base, base + planeValues)}. */
    public static void pack(AudioTrack track, float[] out, int base, int planeValues) {
        int frames = melFrames(planeValues);
        float[] mono = MelSpectrogram.monoAtRate(track, SAMPLE_RATE);
        Spectrogram logMel;
        if (mono.length <= MEL.stft().nFft() / 2) {
            logMel = new Spectrogram(new float[0], MELS, 0); // too short to reflect-pad: all silence
        } else {
            logMel = MEL.logMel(mono);
        }
        System.arraycopy(logMel.withFrames(frames, SILENCE).values(), 0, out, base, MELS * frames);
    }
}

package dev.kinema.audio;

import dev.kinema.video.AudioReader;
import dev.kinema.video.AudioTrack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * The spectrograms of visually guided source separation ("The Sound of Pixels", Zhao et al. 2018),
 * small: a fixed window of {@link #samples()} samples at 16 kHz, its STFT (n_fft 512, hop 256,
 * Hann, centred), the magnitude warped to {@code logBins} log-spaced frequencies ({@link LogFrequency})
 * for the network, and back: a mask on that log grid is resampled to the linear bins, multiplied
 * onto the mixture's STFT (so the mixture's phase is kept) and inverted ({@link Stft#inverse}).
 * The paper's numbers are 11 kHz, n_fft 1022, hop 256, 256 log bins and 6 s; these are cut down
 * for two CPU cores (64 log bins × 64 frames, 1.01 s).
 *
 * <p>Solo tracks: a video's clean sound is the WAV beside it ({@link #soloTrack}), as
 * {@code kinema synth --sounding-objects} writes it, else the video's own audio track.
 */
public final class SeparationSpectra {
    public static final int SAMPLE_RATE = 16_000;
    /** Added to the magnitude before its log, so silence stays finite. */
    public static final double LOG_OFFSET = 1e-3;

    private final Stft stft;
    private final LogFrequency warp;
    private final int frames;

    public SeparationSpectra(int nFft, int hop, int logBins, int frames) {
        this.stft = Stft.builder().setNFft(nFft).optHopLength(hop).build();
        this.warp = LogFrequency.of(stft, SAMPLE_RATE, logBins);
        this.frames = frames;
        if (frames < 2) {
            throw new IllegalArgumentException("need at least 2 STFT frames, got " + frames);
        }
    }

    /** Kinema's default: n_fft 512, hop 256, 64 log bins, 64 frames. */
    public static SeparationSpectra defaults() {
        return new SeparationSpectra(512, 256, 64, 64);
    }

    public Stft stft() {
        return stft;
    }

    /** Rows of the network's spectrogram. */
    public int logBins() {
        return warp.bins();
    }

    /** Columns: STFT frames of a window. */
    public int frames() {
        return frames;
    }

    /** Samples of a window: {@code hop * (frames - 1)}, which a centred STFT turns into exactly {@link #frames()} frames. */
    public int samples() {
        return stft.hopLength() * (frames - 1);
    }

    /** {@code wave} from {@code start} cut or zero-padded to one window. */
    public float[] window(float[] wave, int start) {
        float[] out = new float[samples()];
        if (start < wave.length) {
            System.arraycopy(wave, start, out, 0, Math.min(out.length, wave.length - start));
        }
        return out;
    }

    /** The STFT of one window. */
    public ComplexSpectrogram transform(float[] window) {
        ComplexSpectrogram s = stft.transform(window);
        if (s.frames() != frames) {
            throw new IllegalArgumentException("a window of " + window.length + " samples gives " + s.frames()
                    + " frames, not " + frames);
        }
        return s;
    }

    /** The magnitude on the log-frequency grid, logBins × frames. */
    public Spectrogram logMagnitude(ComplexSpectrogram s) {
        return warp.apply(s.magnitude(1));
    }

    /**
     * A mask on the log grid (logBins × frames, row-major) resampled to the linear bins, each bin
     * interpolating the two log rows around its frequency (the inverse of the warp; bins below the
     * first row take the first row's value).
     */
    public float[] linearMask(float[] logMask) {
        int rows = warp.bins();
        int bins = stft.bins();
        float[] out = new float[bins * frames];
        for (int b = 0; b < bins; b++) {
            double row = rowOf(b);
            int lo = (int) Math.floor(row);
            int hi = Math.min(lo + 1, rows - 1);
            double w = row - lo;
            for (int t = 0; t < frames; t++) {
                out[b * frames + t] = (float) ((1 - w) * logMask[lo * frames + t] + w * logMask[hi * frames + t]);
            }
        }
        return out;
    }

    /** The fractional log row of linear bin {@code b}, from the warp's own row positions. */
    private double rowOf(int b) {
        int rows = warp.bins();
        if (b <= warp.position(0)) {
            return 0;
        }
        for (int k = 1; k < rows; k++) {
            if (b <= warp.position(k)) {
                double lo = warp.position(k - 1);
                return k - 1 + (b - lo) / (warp.position(k) - lo);
            }
        }
        return rows - 1;
    }

    /** The mixture's STFT times a linear-bin mask, inverted: one separated window. */
    public float[] separate(ComplexSpectrogram mixture, float[] linearMask) {
        double[] re = mixture.real().clone();
        double[] im = mixture.imag().clone();
        for (int i = 0; i < re.length; i++) {
            re[i] *= linearMask[i];
            im[i] *= linearMask[i];
        }
        return stft.inverse(new ComplexSpectrogram(re, im, mixture.bins(), mixture.frames()), samples());
    }

    /** The sum of the sources, sample by sample. */
    public static float[] mix(float[]... sources) {
        float[] out = new float[sources[0].length];
        for (float[] s : sources) {
            for (int i = 0; i < out.length; i++) {
                out[i] += s[i];
            }
        }
        return out;
    }

    /** Where a video's clean sound lies: {@code <name>.wav} beside it. */
    public static Path soloTrack(Path video) {
        String name = video.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return video.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".wav");
    }

    /**
     * A video's solo sound, mono at 16 kHz: its {@link #soloTrack} WAV if there is one, else its own
     * audio track.
     *
     * @throws IllegalArgumentException naming the file, when it has no sound
     */
    public static float[] readSolo(Path video) {
        Path wav = soloTrack(video);
        Path source = Files.isRegularFile(wav) && !wav.equals(video) ? wav : video;
        AudioTrack track = AudioReader.read(source, SAMPLE_RATE, true, Duration.ofSeconds(60));
        if (track.channels() == 0 || track.length() == 0) {
            throw new IllegalArgumentException(source + ": no audio track");
        }
        return Arrays.copyOf(track.samples()[0], track.length());
    }
}

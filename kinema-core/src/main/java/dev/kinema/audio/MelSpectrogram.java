package dev.kinema.audio;

import dev.kinema.video.AudioTrack;

/**
 * torchaudio's {@code MelSpectrogram}: an {@link Stft}'s {@code |X|^power} projected on a mel
 * filterbank; {@link #logMel} adds the usual {@code log(mel + 1e-6)}.
 *
 * <p>Defaults are Kinema's (the audio models' input): 16 kHz, n_fft 400, hop 160, 64 mels, 0 Hz to
 * Nyquist, power 2, HTK scale, no normalisation, centred with reflection. torchaudio's own
 * defaults differ in hop (n_fft / 2) and mels (128); every one can be set. Immutable, thread-safe.
 *
 * <pre>{@code
 * MelSpectrogram mel = MelSpectrogram.builder().build();
 * Spectrogram logMel = mel.logMel(AudioReader.read(file, mel.sampleRate(), true).samples()[0]);  // 64 x T
 * }</pre>
 */
public final class MelSpectrogram {
    /** The offset of {@link #logMel}: {@code log(mel + 1e-6)}. */
    public static final double LOG_OFFSET = 1e-6;

    private final int sampleRate;
    private final Stft stft;
    private final double power;
    private final int mels;
    private final double fMin;
    private final double fMax;
    private final MelScale scale;
    private final boolean slaneyNorm;
    private final double[][] filterbank;

    private MelSpectrogram(Builder b) {
        if (b.sampleRate < 1) {
            throw new IllegalArgumentException("the sample rate must be positive, got " + b.sampleRate);
        }
        if (!(b.power > 0)) {
            throw new IllegalArgumentException("the power must be positive, got " + b.power);
        }
        this.sampleRate = b.sampleRate;
        this.stft = b.stft.build();
        this.power = b.power;
        this.mels = b.mels;
        this.fMin = b.fMin;
        this.fMax = b.fMax > 0 ? b.fMax : sampleRate / 2;
        this.scale = b.scale;
        this.slaneyNorm = b.slaneyNorm;
        this.filterbank = scale.filterbank(stft.bins(), fMin, fMax, mels, sampleRate, slaneyNorm);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int sampleRate() {
        return sampleRate;
    }

    public Stft stft() {
        return stft;
    }

    public int mels() {
        return mels;
    }

    /** The mel power spectrogram, {@code mels x frames}. */
    public Spectrogram apply(float[] signal) {
        return project(stft.power(signal, power));
    }

    /** {@code log(mel + 1e-6)}. */
    public Spectrogram logMel(float[] signal) {
        return apply(signal).log(LOG_OFFSET);
    }

    /** {@code log(mel + 1e-6)} of a mono track, which must be at this transform's sample rate. */
    public Spectrogram logMel(AudioTrack track) {
        return logMel(monoAtRate(track, sampleRate));
    }

    /** The one channel of a mono track at {@code sampleRate}, or a clear error. */
    static float[] monoAtRate(AudioTrack track, int sampleRate) {
        if (track.sampleRate() != sampleRate || track.channels() != 1) {
            throw new IllegalArgumentException("expected mono audio at " + sampleRate + " Hz, got " + track.channels()
                    + " channel(s) at " + track.sampleRate() + " Hz");
        }
        return track.samples()[0];
    }

    /** A linear-frequency {@code |X|^power} spectrogram on the mel filterbank. */
    public Spectrogram project(Spectrogram linear) {
        if (linear.bins() != filterbank.length) {
            throw new IllegalArgumentException(linear.bins() + " frequency bins for a filterbank of " + filterbank.length);
        }
        int frames = linear.frames();
        double[] acc = new double[mels * frames];
        for (int f = 0; f < filterbank.length; f++) {
            double[] weights = filterbank[f];
            int row = f * frames;
            for (int m = 0; m < mels; m++) {
                double w = weights[m];
                if (w == 0) {
                    continue;
                }
                int out = m * frames;
                for (int t = 0; t < frames; t++) {
                    acc[out + t] += w * linear.values()[row + t];
                }
            }
        }
        float[] values = new float[acc.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) acc[i];
        }
        return new Spectrogram(values, mels, frames);
    }

    /** The parameters, for logs and file metadata. */
    @Override
    public String toString() {
        return "MelSpectrogram(sample_rate=" + sampleRate + ", n_fft=" + stft.nFft() + ", win_length=" + stft.winLength()
                + ", hop_length=" + stft.hopLength() + ", window=" + stft.window().name().toLowerCase(java.util.Locale.ROOT)
                + ", center=" + stft.center() + ", power=" + power + ", n_mels=" + mels + ", f_min=" + fMin + ", f_max=" + fMax
                + ", mel_scale=" + scale.name().toLowerCase(java.util.Locale.ROOT) + ", norm=" + (slaneyNorm ? "slaney" : "none") + ")";
    }

    public static final class Builder {
        private int sampleRate = 16_000;
        private final Stft.Builder stft = Stft.builder();
        private double power = 2;
        private int mels = 64;
        private double fMin;
        private double fMax;
        private MelScale scale = MelScale.HTK;
        private boolean slaneyNorm;

        private Builder() {}

        public Builder optSampleRate(int sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        public Builder optNFft(int nFft) {
            stft.setNFft(nFft);
            return this;
        }

        public Builder optWinLength(int winLength) {
            stft.optWinLength(winLength);
            return this;
        }

        public Builder optHopLength(int hopLength) {
            stft.optHopLength(hopLength);
            return this;
        }

        public Builder optWindow(Window window) {
            stft.optWindow(window);
            return this;
        }

        public Builder optCenter(boolean center) {
            stft.optCenter(center);
            return this;
        }

        public Builder optPadding(Stft.Padding padding) {
            stft.optPadding(padding);
            return this;
        }

        /** 2 for power, 1 for magnitude. */
        public Builder optPower(double power) {
            this.power = power;
            return this;
        }

        public Builder optMels(int mels) {
            this.mels = mels;
            return this;
        }

        public Builder optFMin(double fMin) {
            this.fMin = fMin;
            return this;
        }

        /** The top of the mel band; 0 (the default) means the Nyquist frequency. */
        public Builder optFMax(double fMax) {
            this.fMax = fMax;
            return this;
        }

        public Builder optScale(MelScale scale) {
            this.scale = scale;
            return this;
        }

        /** torchaudio's {@code norm="slaney"}: each triangle of equal area. */
        public Builder optSlaneyNorm(boolean slaneyNorm) {
            this.slaneyNorm = slaneyNorm;
            return this;
        }

        public MelSpectrogram build() {
            return new MelSpectrogram(this);
        }
    }
}

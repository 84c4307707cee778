package dev.kinema.audio;

/**
 * The mel scales and triangular filterbank of torchaudio 0.13 ({@code torchaudio.functional.melscale_fbanks}):
 * {@link #HTK} ({@code 2595 log10(1 + f / 700)}, torchaudio's default) or {@link #SLANEY} (linear below
 * 1 kHz, logarithmic above, librosa's default), with optional Slaney area normalisation.
 */
public enum MelScale {
    HTK, SLANEY;

    private static final double SLANEY_STEP_HZ = 200.0 / 3;
    private static final double SLANEY_BREAK_HZ = 1000;
    private static final double SLANEY_BREAK_MEL = SLANEY_BREAK_HZ / SLANEY_STEP_HZ;
    private static final double SLANEY_LOG_STEP = Math.log(6.4) / 27;

    public double toMel(double hz) {
        if (this == HTK) {
            return 2595 * Math.log10(1 + hz / 700);
        }
        return hz < SLANEY_BREAK_HZ ? hz / SLANEY_STEP_HZ
                : SLANEY_BREAK_MEL + Math.log(hz / SLANEY_BREAK_HZ) / SLANEY_LOG_STEP;
    }

    public double toHz(double mel) {
        if (this == HTK) {
            return 700 * (Math.pow(10, mel / 2595) - 1);
        }
        return mel < SLANEY_BREAK_MEL ? mel * SLANEY_STEP_HZ
                : SLANEY_BREAK_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_BREAK_MEL));
    }

    /**
     * The filterbank, {@code [freqs][mels]} as torchaudio's {@code (n_freqs, n_mels)}: the STFT's bin
     * frequencies are {@code linspace(0, sampleRate // 2, freqs)} (integer halving, as torchaudio),
     * the band edges {@code mels + 2} points evenly spaced in mel from {@code fMin} to {@code fMax}.
     *
     * @param slaneyNorm divide each triangle by its width in Hz / 2 (equal area), torchaudio's {@code norm="slaney"}
     */
    public double[][] filterbank(int freqs, double fMin, double fMax, int mels, int sampleRate, boolean slaneyNorm) {
        if (mels < 1 || freqs < 2) {
            throw new IllegalArgumentException("a filterbank needs at least 1 mel and 2 frequencies, got " + mels + " and " + freqs);
        }
        if (!(fMin >= 0 && fMax > fMin)) {
            throw new IllegalArgumentException("the mel band needs 0 <= f_min < f_max, got " + fMin + " and " + fMax);
        }
        double nyquist = sampleRate / 2; // integer division, as torchaudio's sample_rate // 2
        double melMin = toMel(fMin);
        double melMax = toMel(fMax);
        double[] edges = new double[mels + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = toHz(melMin + (melMax - melMin) * i / (mels + 1));
        }
        double[][] fb = new double[freqs][mels];
        for (int f = 0; f < freqs; f++) {
            double hz = nyquist * f / (freqs - 1);
            for (int m = 0; m < mels; m++) {
                double down = (hz - edges[m]) / (edges[m + 1] - edges[m]);
                double up = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
                double weight = Math.max(0, Math.min(down, up));
                fb[f][m] = slaneyNorm ? weight * 2 / (edges[m + 2] - edges[m]) : weight;
            }
        }
        return fb;
    }

    /** The scale named {@code name} ("htk" or "slaney"), any case. */
    public static MelScale named(String name) {
        for (MelScale s : values()) {
            if (s.name().equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown mel scale '" + name + "' (htk, slaney)");
    }
}

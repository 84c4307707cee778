package dev.kinema.audio;

/**
 * A log-frequency spectrogram: a linear one resampled onto {@code bins} frequencies spaced evenly in
 * log frequency from {@code fMin} to {@code fMax}, each the linear interpolation of the two nearest
 * STFT bins. This is the "Sound of Pixels" warp (Zhao et al. 2018 resample 512 STFT bins to 256
 * log-spaced ones with bilinear {@code grid_sample}): low frequencies, where timbres differ, get as
 * many rows as the wide high bands.
 */
public final class LogFrequency {
    private final int bins;
    private final double[] position;

    /**
     * @param stftBins the linear spectrogram's rows ({@code nFft / 2 + 1})
     * @param fMin the lowest output frequency, above 0 (e.g. one bin: {@code sampleRate / nFft})
     */
    public LogFrequency(int bins, double fMin, double fMax, int sampleRate, int stftBins) {
        if (bins < 2) {
            throw new IllegalArgumentException("a log-frequency spectrogram needs at least 2 bins, got " + bins);
        }
        double nyquist = sampleRate / 2.0;
        if (!(fMin > 0 && fMax > fMin && fMax <= nyquist)) {
            throw new IllegalArgumentException("log-frequency band needs 0 < f_min < f_max <= " + nyquist + " Hz, got "
                    + fMin + " and " + fMax);
        }
        this.bins = bins;
        this.position = new double[bins];
        double hzPerBin = nyquist / (stftBins - 1);
        for (int k = 0; k < bins; k++) {
            double hz = fMin * Math.pow(fMax / fMin, k / (double) (bins - 1));
            position[k] = Math.min(stftBins - 1, hz / hzPerBin);
        }
    }

    /** From {@code fMin = sampleRate / nFft} (the first bin above DC) to Nyquist. */
    public static LogFrequency of(Stft stft, int sampleRate, int bins) {
        return new LogFrequency(bins, sampleRate / (double) stft.nFft(), sampleRate / 2.0, sampleRate, stft.bins());
    }

    public int bins() {
        return bins;
    }

    /** The fractional STFT bin each output row reads. */
    public double position(int k) {
        return position[k];
    }

    public Spectrogram apply(Spectrogram linear) {
        int frames = linear.frames();
        float[] out = new float[bins * frames];
        for (int k = 0; k < bins; k++) {
            int lo = (int) Math.floor(position[k]);
            int hi = Math.min(lo + 1, linear.bins() - 1);
            double w = position[k] - lo;
            for (int t = 0; t < frames; t++) {
                out[k * frames + t] = (float) ((1 - w) * linear.get(lo, t) + w * linear.get(hi, t));
            }
        }
        return new Spectrogram(out, bins, frames);
    }
}

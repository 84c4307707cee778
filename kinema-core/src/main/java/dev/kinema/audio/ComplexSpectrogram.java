package dev.kinema.audio;

/**
 * The STFT itself: real and imaginary parts, {@code bins} (one-sided: n_fft / 2 + 1) by
 * {@code frames}, row-major like {@link Spectrogram}. Kept for the inverse STFT, which rebuilds a
 * signal from a masked magnitude and this phase.
 */
public record ComplexSpectrogram(double[] real, double[] imag, int bins, int frames) {
    public ComplexSpectrogram {
        if (real.length != imag.length || (long) bins * frames != real.length) {
            throw new IllegalArgumentException("complex spectrogram of " + bins + "x" + frames + " with "
                    + real.length + " and " + imag.length + " values");
        }
    }

    /** {@code |X|^power} as floats: power 1 is the magnitude, 2 the power spectrogram. */
    public Spectrogram magnitude(double power) {
        float[] out = new float[real.length];
        for (int i = 0; i < out.length; i++) {
            double squared = real[i] * real[i] + imag[i] * imag[i];
            out[i] = (float) (power == 2 ? squared : Math.pow(squared, power / 2));
        }
        return new Spectrogram(out, bins, frames);
    }
}

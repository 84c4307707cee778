package dev.kinema.audio;

/**
 * The STFT's analysis window, as {@code torch.hann_window} and friends with their default
 * {@code periodic=True} (the window of length N is the first N points of one of length N + 1), which
 * is what torchaudio's {@code Spectrogram} and {@code MelSpectrogram} use.
 */
public enum Window {
    HANN, HAMMING, RECTANGULAR;

    /** The window's {@code length} coefficients. */
    public double[] coefficients(int length) {
        double[] w = new double[length];
        for (int n = 0; n < length; n++) {
            double phase = 2 * Math.PI * n / length;
            w[n] = switch (this) {
                case HANN -> 0.5 - 0.5 * Math.cos(phase);
                case HAMMING -> 0.54 - 0.46 * Math.cos(phase);
                case RECTANGULAR -> 1;
            };
        }
        return w;
    }

    /** The window named {@code name} ("hann", "hamming", "rectangular"), any case. */
    public static Window named(String name) {
        for (Window w : values()) {
            if (w.name().equalsIgnoreCase(name)) {
                return w;
            }
        }
        throw new IllegalArgumentException("unknown window '" + name + "' (hann, hamming, rectangular)");
    }
}

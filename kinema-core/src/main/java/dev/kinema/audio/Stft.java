package dev.kinema.audio;

import java.util.Locale;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * The short-time Fourier transform as {@code torch.stft} computes it for torchaudio's
 * {@code Spectrogram}: frames of {@code nFft} samples every {@code hopLength}, a window of
 * {@code winLength} zero-padded at both ends to {@code nFft}, one-sided ({@code nFft / 2 + 1} bins),
 * not normalised, and with {@code center} the signal padded by {@code nFft / 2} on both sides by
 * reflection, so frame t is centred on sample {@code t * hopLength}.
 *
 * <p>The FFT is JTransforms' (pure Java, mixed radix, so 400 points cost no more than a power of
 * two), in double precision on the Java heap: loader workers compute spectrograms with no
 * {@code NDManager} and no native calls, and the result does not depend on libtorch's kernels.
 * An instance is immutable and thread-safe.
 */
public final class Stft {
    /** What fills the {@code nFft / 2} samples added at each end when centring. */
    public enum Padding { REFLECT, CONSTANT }

    private final int nFft;
    private final int winLength;
    private final int hopLength;
    private final Window window;
    private final boolean center;
    private final Padding padding;
    private final double[] paddedWindow;

    private Stft(Builder b) {
        if (b.nFft < 2) {
            throw new IllegalArgumentException("n_fft must be at least 2, got " + b.nFft);
        }
        this.nFft = b.nFft;
        this.winLength = b.winLength > 0 ? b.winLength : b.nFft;
        this.hopLength = b.hopLength > 0 ? b.hopLength : this.winLength / 2;
        if (winLength > nFft) {
            throw new IllegalArgumentException("win_length " + winLength + " is longer than n_fft " + nFft);
        }
        if (hopLength < 1) {
            throw new IllegalArgumentException("hop_length must be at least 1, got " + hopLength);
        }
        this.window = b.window;
        this.center = b.center;
        this.padding = b.padding;
        // torch.stft pads a shorter window with zeros on both sides, the extra one on the right.
        this.paddedWindow = new double[nFft];
        System.arraycopy(window.coefficients(winLength), 0, paddedWindow, (nFft - winLength) / 2, winLength);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int nFft() {
        return nFft;
    }

    public int winLength() {
        return winLength;
    }

    public int hopLength() {
        return hopLength;
    }

    public Window window() {
        return window;
    }

    public boolean center() {
        return center;
    }

    public int bins() {
        return nFft / 2 + 1;
    }

    /** How many frames a signal of {@code samples} gives. */
    public int frames(int samples) {
        int padded = center ? samples + 2 * (nFft / 2) : samples;
        return padded < nFft ? 0 : 1 + (padded - nFft) / hopLength;
    }

    /** The STFT of a mono signal. */
    public ComplexSpectrogram transform(float[] signal) {
        double[] x = padded(signal);
        int frames = frames(signal.length);
        if (frames == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d samples are too few for an STFT of n_fft %d", signal.length, nFft));
        }
        int bins = bins();
        double[] re = new double[bins * frames];
        double[] im = new double[bins * frames];
        DoubleFFT_1D fft = new DoubleFFT_1D(nFft);
        double[] buffer = new double[2 * nFft];
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength;
            for (int n = 0; n < nFft; n++) {
                buffer[n] = x[start + n] * paddedWindow[n];
            }
            fft.realForwardFull(buffer);
            for (int k = 0; k < bins; k++) {
                re[k * frames + t] = buffer[2 * k];
                im[k * frames + t] = buffer[2 * k + 1];
            }
        }
        return new ComplexSpectrogram(re, im, bins, frames);
    }

    /** {@code |STFT|^power}: torchaudio's {@code Spectrogram(power=...)}. */
    public Spectrogram power(float[] signal, double power) {
        return transform(signal).magnitude(power);
    }

    /**
     * The inverse STFT, as {@code torch.istft}: each frame's inverse FFT times the window,
     * overlap-added and divided by the overlap-added squared window, with the centring pad removed;
     * {@code length} samples (the original signal's length) out.
     */
    public float[] inverse(ComplexSpectrogram spec, int length) {
        if (spec.bins() != bins()) {
            throw new IllegalArgumentException("a " + spec.bins() + "-bin spectrogram for an STFT of " + bins() + " bins");
        }
        int frames = spec.frames();
        int total = nFft + hopLength * (frames - 1);
        double[] sum = new double[total];
        double[] norm = new double[total];
        DoubleFFT_1D fft = new DoubleFFT_1D(nFft);
        double[] buffer = new double[2 * nFft];
        for (int t = 0; t < frames; t++) {
            // The full conjugate-symmetric spectrum, then the complex inverse; its real part is the frame.
            for (int k = 0; k < nFft; k++) {
                int source = k < bins() ? k : nFft - k;
                double sign = k < bins() ? 1 : -1;
                buffer[2 * k] = spec.real()[source * frames + t];
                buffer[2 * k + 1] = sign * spec.imag()[source * frames + t];
            }
            fft.complexInverse(buffer, true);
            int start = t * hopLength;
            for (int n = 0; n < nFft; n++) {
                sum[start + n] += buffer[2 * n] * paddedWindow[n];
                norm[start + n] += paddedWindow[n] * paddedWindow[n];
            }
        }
        int offset = center ? nFft / 2 : 0;
        float[] out = new float[length];
        for (int i = 0; i < length && offset + i < total; i++) {
            double w = norm[offset + i];
            out[i] = (float) (w > 1e-11 ? sum[offset + i] / w : 0);
        }
        return out;
    }

    private double[] padded(float[] signal) {
        int pad = center ? nFft / 2 : 0;
        if (center && padding == Padding.REFLECT && pad >= signal.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%d samples are too few to reflect-pad by n_fft / 2 = %d", signal.length, pad));
        }
        double[] x = new double[signal.length + 2 * pad];
        for (int i = 0; i < signal.length; i++) {
            x[pad + i] = signal[i];
        }
        if (padding == Padding.REFLECT) {
            for (int i = 1; i <= pad; i++) {
                x[pad - i] = signal[i];
                x[pad + signal.length - 1 + i] = signal[signal.length - 1 - i];
            }
        }
        return x;
    }

    /** Defaults: Kinema's audio defaults, n_fft 400, hop 160 (10 ms at 16 kHz), Hann, centred with reflection. */
    public static final class Builder {
        private int nFft = 400;
        private int winLength;
        private int hopLength = 160;
        private Window window = Window.HANN;
        private boolean center = true;
        private Padding padding = Padding.REFLECT;

        private Builder() {}

        public Builder setNFft(int nFft) {
            this.nFft = nFft;
            return this;
        }

        /** The window's length; 0 (the default) means n_fft. */
        public Builder optWinLength(int winLength) {
            this.winLength = winLength;
            return this;
        }

        /** Samples between frames; 0 means win_length / 2 (torch's default). */
        public Builder optHopLength(int hopLength) {
            this.hopLength = hopLength;
            return this;
        }

        public Builder optWindow(Window window) {
            this.window = window;
            return this;
        }

        public Builder optCenter(boolean center) {
            this.center = center;
            return this;
        }

        public Builder optPadding(Padding padding) {
            this.padding = padding;
            return this;
        }

        public Stft build() {
            return new Stft(this);
        }
    }
}

package dev.kinema.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.io.FloatTensor;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Stft#inverse} against torch 1.13's {@code istft} (tools/golden/istft.py) on masked STFTs of
 * the lena excerpt: a masked spectrogram is not the STFT of any signal, so the overlap-add and its
 * window-square normalisation are what is compared, with and without centring and for a window
 * shorter than n_fft. Every sample within 1e-5 of the signal's peak.
 */
class InverseStftGoldenTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "hann-512-hop-256, 512, 512, 256, HANN, true",
        "hamming-400-win-300-hop-100, 400, 300, 100, HAMMING, true",
        "hamming-256-hop-64-not-centred, 256, 256, 64, HAMMING, false",
    })
    void matchesTorchIstft(String name, int nFft, int win, int hop, Window window, boolean center) throws Exception {
        FloatTensor real = MelSpectrogramGoldenTest.golden("istft-" + name + "-real");
        FloatTensor imag = MelSpectrogramGoldenTest.golden("istft-" + name + "-imag");
        float[] expected = MelSpectrogramGoldenTest.golden("istft-" + name).data();
        int bins = (int) real.shape()[0];
        int frames = (int) real.shape()[1];
        Stft stft = Stft.builder().setNFft(nFft).optWinLength(win).optHopLength(hop).optWindow(window).optCenter(center)
                .build();
        assertEquals(stft.bins(), bins);
        float[] actual = stft.inverse(new ComplexSpectrogram(toDouble(real.data()), toDouble(imag.data()), bins, frames),
                expected.length);
        double peak = 0;
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            peak = Math.max(peak, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        System.out.printf(Locale.ROOT, "%s: worst error %.3g of a peak of %.3g%n", name, worst, peak);
        assertTrue(peak > 0.01, name + ": the golden signal is silent");
        assertTrue(worst <= 1e-5 * peak, name + ": worst error " + worst + " against a peak of " + peak);
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}

package dev.kinema.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The front end against torchaudio 0.13 on half a second of a real recording (lena.wav, see
 * tools/golden/audio_mel.py, which writes the goldens and lists each case's torchaudio arguments,
 * mirrored here): every value within 1e-4 relative (log-mel: within 1e-4 absolute, the same
 * thing for {@code log(mel + 1e-6)}). Relative to the value or to 1e-10 of the largest, whichever
 * is larger: the resampler leaves bins near Nyquist at 1e-15 of the peak, where both FFTs' rounding
 * (about 1e-16 of the frame's energy) is all there is.
 */
class MelSpectrogramGoldenTest {
    static final double TOLERANCE = 1e-4;

    static FloatTensor golden(String name) throws IOException, URISyntaxException {
        return Npy.read(Path.of(MelSpectrogramGoldenTest.class.getResource("/golden/audio/" + name + ".npy").toURI()));
    }

    static void assertAgrees(String name, Spectrogram actual, boolean log) throws Exception {
        FloatTensor expected = golden(name);
        assertArrayEquals(expected.shape(), new long[] {actual.bins(), actual.frames()}, name + ": shape");
        double floor = 0;
        for (float e : expected.data()) {
            floor = Math.max(floor, Math.abs(e) * 1e-10);
        }
        double worst = 0;
        for (int i = 0; i < expected.data().length; i++) {
            double e = expected.data()[i];
            double a = actual.values()[i];
            double err = log ? Math.abs(a - e) : Math.abs(a - e) / Math.max(Math.abs(e), floor);
            worst = Math.max(worst, err);
        }
        System.out.printf(Locale.ROOT, "%s: worst %s error %.3g%n", name, log ? "absolute (log)" : "relative", worst);
        assertTrue(worst <= TOLERANCE, name + ": worst error " + worst);
    }

    @Test
    void kinemaDefaultsMatchTorchaudioLogMel() throws Exception {
        float[] x = golden("lena-16k").data();
        MelSpectrogram mel = MelSpectrogram.builder().build();
        assertAgrees("kinema-defaults-logmel", mel.logMel(x), true);
    }

    @Test
    void slaneyScaleAndNormWithShortWindowMatch() throws Exception {
        float[] x = golden("lena-44k").data();
        MelSpectrogram mel = MelSpectrogram.builder().optSampleRate(44100).optNFft(1024).optWinLength(800).optHopLength(256)
                .optMels(40).optFMin(50).optFMax(8000).optPower(1).optScale(MelScale.SLANEY).optSlaneyNorm(true).build();
        assertAgrees("slaney-norm-magnitude", mel.apply(x), false);
    }

    @Test
    void hammingWindowWithoutCentringMatches() throws Exception {
        float[] x = golden("lena-16k").data();
        MelSpectrogram mel = MelSpectrogram.builder().optNFft(512).optWinLength(400).optHopLength(100).optMels(80)
                .optFMin(20).optWindow(Window.HAMMING).optCenter(false).build();
        assertAgrees("htk-hamming-not-centred", mel.logMel(x), true);
    }

    @Test
    void powerSpectrogramMatches() throws Exception {
        float[] x = golden("lena-16k").data();
        Stft stft = Stft.builder().setNFft(256).optHopLength(64).build();
        assertAgrees("power-spectrogram", stft.power(x, 2), false);
    }
}

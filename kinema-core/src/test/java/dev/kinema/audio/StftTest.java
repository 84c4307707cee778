package dev.kinema.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StftTest {
    static float[] tone(double hz, int rate, int samples) {
        float[] x = new float[samples];
        for (int i = 0; i < samples; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return x;
    }

    @Test
    void inverseOfTheTransformGivesTheSignalBack() {
        float[] x = tone(440, 16000, 4000);
        for (int i = 0; i < x.length; i += 97) {
            x[i] += 0.3f; // clicks, so more than one frequency must come back
        }
        Stft stft = Stft.builder().setNFft(400).optHopLength(100).build();
        float[] back = stft.inverse(stft.transform(x), x.length);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(back[i] - x[i]));
        }
        assertTrue(worst < 1e-5, "round trip error " + worst);
    }

    @Test
    void aToneLandsInItsBinAndItsLogFrequencyRow() {
        int rate = 16000;
        Stft stft = Stft.builder().setNFft(512).optHopLength(128).build();
        Spectrogram linear = stft.power(tone(1000, rate, 8000), 1);
        assertEquals(257, linear.bins());
        assertEquals(1 + 8000 / 128, linear.frames());
        assertEquals(32, argmaxBin(linear, 10)); // 1000 Hz / (16000 / 512) = bin 32
        LogFrequency warp = LogFrequency.of(stft, rate, 128);
        Spectrogram log = warp.apply(linear);
        int row = argmaxBin(log, 10);
        double hz = (rate / 512.0) * Math.pow(256, row / 127.0); // 31.25 Hz to 8 kHz in 128 log steps
        assertEquals(1000, hz, 1000 * 0.05, "log-frequency row " + row + " is at " + hz + " Hz");
    }

    @Test
    void tooShortASignalIsAClearError() {
        Stft stft = Stft.builder().build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> stft.transform(new float[150]));
        assertTrue(e.getMessage().contains("150 samples"), e.getMessage());
    }

    @Test
    void melScalesInvertEachOther() {
        for (MelScale s : MelScale.values()) {
            for (double hz : new double[] {0, 300, 999, 1000, 4321, 8000}) {
                assertEquals(hz, s.toHz(s.toMel(hz)), 1e-9, s + " at " + hz);
            }
        }
        assertEquals(15, MelScale.SLANEY.toMel(1000), 1e-12);
    }

    private static int argmaxBin(Spectrogram s, int frame) {
        int best = 0;
        for (int b = 1; b < s.bins(); b++) {
            if (s.get(b, frame) > s.get(best, frame)) {
                best = b;
            }
        }
        return best;
    }
}

package dev.kinema.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.eval.separation.BssEval;
import dev.kinema.synth.ClipSpec;
import dev.kinema.synth.SoundingObject;
import dev.kinema.synth.SoundingObjectVideo;
import org.junit.jupiter.api.Test;

/**
 * The separation spectrograms end to end, with the ideal binary mask in place of a network: the
 * mask on the log-frequency grid, back to the linear bins, onto the mixture's STFT and inverted
 * must recover each source well, and an all-ones mask must give the mixture back.
 */
class SeparationSpectraTest {
    private final SeparationSpectra spectra = SeparationSpectra.defaults();

    @Test
    void idealBinaryMasksSeparateAViolinFromADrum() {
        ClipSpec spec = ClipSpec.ofSeconds(64, 64, 16, 1.2);
        float[] violin = spectra.window(new SoundingObjectVideo(SoundingObject.VIOLIN, spec, 1).audio(), 0);
        float[] drum = spectra.window(new SoundingObjectVideo(SoundingObject.DRUM, spec, 2).audio(), 0);
        float[] mixture = SeparationSpectra.mix(violin, drum);
        ComplexSpectrogram mix = spectra.transform(mixture);
        Spectrogram a = spectra.logMagnitude(spectra.transform(violin));
        Spectrogram b = spectra.logMagnitude(spectra.transform(drum));
        assertEquals(64, a.bins());
        assertEquals(64, a.frames());
        float[] maskA = new float[a.values().length];
        float[] maskB = new float[a.values().length];
        for (int i = 0; i < maskA.length; i++) {
            maskA[i] = a.values()[i] > b.values()[i] ? 1 : 0;
            maskB[i] = 1 - maskA[i];
        }
        float[][] estimates = {spectra.separate(mix, spectra.linearMask(maskA)), spectra.separate(mix, spectra.linearMask(maskB))};
        BssEval.WithMixture r = BssEval.evaluate(new float[][] {violin, drum}, estimates, mixture);
        assertTrue(r.meanNsdr() > 6, "ideal binary masks gain only " + r.meanNsdr() + " dB");
        assertEquals(0, r.result().permutation()[0]);

        float[] ones = new float[maskA.length];
        java.util.Arrays.fill(ones, 1f);
        float[] back = spectra.separate(mix, spectra.linearMask(ones));
        for (int i = 0; i < back.length; i++) {
            assertEquals(mixture[i], back[i], 1e-5);
        }
    }

    @Test
    void aWindowIsExactlyTheFramesOfTheGrid() {
        assertEquals(256 * 63, spectra.samples());
        assertEquals(64, spectra.transform(new float[spectra.samples()]).frames());
        float[] cut = spectra.window(new float[] {1, 2, 3}, 1);
        assertEquals(spectra.samples(), cut.length);
        assertEquals(2f, cut[0]);
        assertEquals(0f, cut[2]);
    }
}

package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WarmupCosineTest {
    @Test
    void valuesByHand() {
        // base 0.1, 2 warm-up updates of 10: 0.05, 0.1, then the cosine over the 8 remaining updates,
        // 0.1 * (1 + cos(pi * k / 8)) / 2 for k = 0..7.
        WarmupCosine s = new WarmupCosine(0.1f, 2, 10, 0f);
        assertEquals(0.05f, s.getNewValue(0), 1e-7f);
        assertEquals(0.1f, s.getNewValue(1), 1e-7f);
        assertEquals(0.1f, s.getNewValue(2), 1e-7f);
        // k = 2: cos(pi / 4) = 0.70711 -> 0.085355
        assertEquals(0.0853553f, s.getNewValue(4), 1e-6f);
        // k = 4: cos(pi / 2) = 0 -> half the base rate
        assertEquals(0.05f, s.getNewValue(6), 1e-7f);
        // k = 7: cos(7 pi / 8) = -0.92388 -> 0.0038060
        assertEquals(0.0038060f, s.getNewValue(9), 1e-6f);
        assertEquals(0f, s.getNewValue(10));
        assertEquals(0f, s.getNewValue(1000));
    }

    @Test
    void finalValueAndNoWarmup() {
        WarmupCosine s = new WarmupCosine(1f, 0, 4, 0.2f);
        assertEquals(1f, s.getNewValue(0), 1e-7f);
        // k = 2 of 4: 0.2 + 0.8 * (1 + 0) / 2
        assertEquals(0.6f, s.getNewValue(2), 1e-6f);
        assertEquals(0.2f, s.getNewValue(4), 1e-7f);
    }

    @Test
    void epochsToSteps() {
        WarmupCosine s = WarmupCosine.forEpochs(0.1f, 1, 10, 5);
        assertEquals(5, s.warmupSteps());
        assertEquals(50, s.totalSteps());
        assertEquals(0.02f, s.getNewValue(0), 1e-7f);
        // Warm-up never takes more than half a short run.
        assertEquals(5, WarmupCosine.forEpochs(0.1f, 3, 2, 5).warmupSteps());
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(0f, 0, 10, 0f));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(0.1f, 11, 10, 0f));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(0.1f, 0, 10, 0.2f));
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosine(0.1f, 0, 10, 0f).getNewValue(-1));
    }
}

package dev.kinema.models.videomae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TubeMaskTest {
    private static final long[] GRID = {4, 7, 7};

    @Test
    void ninetyPercentOfEachFrameIsMaskedAndTheSamePositionsInEveryFrame() {
        TubeMask mask = TubeMask.draw(3, GRID, 0.9, new SplittableRandom(1));
        assertEquals(4 * 44, mask.maskedTokens(), "floor(0.9 * 49) = 44 masked per frame");
        assertEquals(4 * 5, mask.visibleTokens());
        for (int c = 0; c < 3; c++) {
            Set<Long> all = new HashSet<>();
            for (long t : mask.visible()[c]) {
                all.add(t);
            }
            for (long t : mask.masked()[c]) {
                assertTrue(all.add(t), "token " + t + " both visible and masked");
            }
            assertEquals(4 * 49, all.size(), "every token is visible or masked");
            for (long token = 0; token < 49; token++) {
                for (long frame = 1; frame < 4; frame++) {
                    assertEquals(mask.isMasked(c, token), mask.isMasked(c, frame * 49 + token),
                            "position " + token + " of clip " + c + " differs in frame " + frame);
                }
            }
        }
        assertFalse(java.util.Arrays.equals(mask.masked()[0], mask.masked()[1]), "each clip draws its own mask");
    }

    @Test
    void ninetyFivePercentIsAllowedAndTheSameSeedGivesTheSameMask() {
        TubeMask a = TubeMask.draw(2, new long[] {8, 14, 14}, 0.95, new SplittableRandom(7));
        assertEquals(8 * 186, a.maskedTokens(), "floor(0.95 * 196) = 186");
        TubeMask b = TubeMask.draw(2, new long[] {8, 14, 14}, 0.95, new SplittableRandom(7));
        assertArrayEquals(a.masked()[1], b.masked()[1]);
        assertArrayEquals(a.visible()[0], b.visible()[0]);
    }

    @Test
    void aRatioThatLeavesNothingVisibleIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TubeMask.draw(1, new long[] {2, 2, 2}, 0.2, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("leaves 4 visible and 0 masked"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TubeMask.maskedPerFrame(49, 1.0));
        assertThrows(IllegalArgumentException.class, () -> TubeMask.maskedPerFrame(49, 0));
    }
}

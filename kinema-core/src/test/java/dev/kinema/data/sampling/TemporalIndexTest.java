package dev.kinema.data.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemporalIndexTest {

    @Test
    void tenFramesToFourSamples() {
        // PyTorchVideo: linspace(0, 10 - 1, 4) = [0, 3, 6, 9] -> .long() -> [0, 3, 6, 9]
        assertArrayEquals(new int[] {0, 3, 6, 9}, TemporalIndex.uniformTemporalSubsample(10, 4));
    }

    @Test
    void truncatesTowardZero() {
        // linspace(0, 9, 3) = [0, 4.5, 9] -> [0, 4, 9] (4.5 truncates, it does not round)
        assertArrayEquals(new int[] {0, 4, 9}, TemporalIndex.uniformTemporalSubsample(10, 3));
        // linspace(0, 59, 4) = [0, 19.67, 39.33, 59] -> [0, 19, 39, 59]
        assertArrayEquals(new int[] {0, 19, 39, 59}, TemporalIndex.uniformTemporalSubsample(60, 4));
    }

    @Test
    void moreSamplesThanFramesRepeatsNearestNeighbours() {
        // linspace(0, 3, 8): step 3/7 = 0.4286 -> [0, .43, .86, 1.29, 1.71, 2.14, 2.57, 3] -> [0,0,0,1,1,2,2,3]
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2, 3}, TemporalIndex.uniformTemporalSubsample(4, 8));
        // a 1-frame video: linspace(0, 0, 5) = all 0
        assertArrayEquals(new int[5], TemporalIndex.uniformTemporalSubsample(1, 5));
        // one sample: torch.linspace(0, t - 1, 1) = [0]
        assertArrayEquals(new int[1], TemporalIndex.uniformTemporalSubsample(50, 1));
    }

    @Test
    void identityWhenSamplesEqualFrames() {
        assertArrayEquals(SamplingAssertions.range(0, 32, 1), TemporalIndex.uniformTemporalSubsample(32, 32));
    }

    @Test
    void float32ArtefactOfTorchIsReproduced() {
        // exact: 7 * 114 / 14 = 57; torch float32 (counted down from the end): 114 - 7 * 8.142857 = 56.99999 -> 56
        assertEquals(56, TemporalIndex.uniformTemporalSubsample(115, 15)[7]);
        assertEquals(57, TemporalIndex.uniformTemporalSubsample(115, 15, LinspaceArithmetic.EXACT)[7]);
        // the portable kernel (no fused multiply-add) has this one too: 114 - fl(7 * 8.142857) = 56.99999
        assertEquals(56, TemporalIndex.uniformTemporalSubsample(115, 15, LinspaceArithmetic.TORCH_CPU_DEFAULT)[7]);
    }

    /**
     * Every {@code t <= 600, n <= 69} against real torch output: the fixture lists where torch's
     * truncated linspace differs from the exact value, per CPU kernel; everywhere else it is exact.
     * Regenerate with torch_linspace_truncation.py beside the fixture.
     */
    @Test
    void matchesTorchOnWholeGrid() throws IOException {
        Map<String, Map<String, Integer>> diffs = new HashMap<>();
        try (InputStream in = getClass().getResourceAsStream("torch_linspace_truncation.txt")) {
            assertNotNull(in, "fixture torch_linspace_truncation.txt");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.trim().split(" ");
                Map<String, Integer> m = diffs.computeIfAbsent(p[0], k -> new HashMap<>());
                for (int i = 3; i < p.length; i++) {
                    String[] kv = p[i].split(":");
                    m.put(p[1] + " " + p[2] + " " + kv[0], Integer.parseInt(kv[1]));
                }
            }
        }
        assertTrue(diffs.get("avx2").size() > 500 && diffs.get("default").size() > 500, "fixture loaded");
        for (var kernel : Map.of("avx2", LinspaceArithmetic.TORCH_CPU_AVX2,
                "default", LinspaceArithmetic.TORCH_CPU_DEFAULT).entrySet()) {
            Map<String, Integer> d = diffs.get(kernel.getKey());
            for (int t = 1; t <= 600; t++) {
                for (int n = 1; n <= 69; n++) {
                    int[] got = TemporalIndex.uniformTemporalSubsample(t, n, kernel.getValue());
                    int[] exact = TemporalIndex.uniformTemporalSubsample(t, n, LinspaceArithmetic.EXACT);
                    for (int i = 0; i < n; i++) {
                        int want = d.getOrDefault(t + " " + n + " " + i, exact[i]);
                        if (got[i] != want) {
                            throw new AssertionError(kernel.getKey() + ": t=" + t + " n=" + n + " i=" + i
                                    + " torch=" + want + " kinema=" + got[i]);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rejectsNonPositiveArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> TemporalIndex.uniformTemporalSubsample(0, 4));
        assertTrue(e.getMessage().contains("totalFrames must be >= 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TemporalIndex.uniformTemporalSubsample(10, 0));
        assertTrue(e.getMessage().contains("numSamples must be >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TemporalIndex.uniformTemporalSubsample(10, -3));
    }

    @Test
    void windowFramesAreThoseShownInsideTheHalfOpenWindow() {
        VideoTimeline v = new VideoTimeline(300, 30);
        // [0.1 s, 0.3 s) at 30 fps: frames with i/30 >= 0.1 and < 0.3 -> 3..8 (0.1 * 30 = 3.0000000000000004 is still 3)
        assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8}, TemporalIndex.windowFrames(v, 0.1, 0.3, 6));
        // [0, 2 s) = frames 0..59, subsampled to 4: [0, 19, 39, 59]
        assertArrayEquals(new int[] {0, 19, 39, 59}, TemporalIndex.windowFrames(v, 0, 2, 4));
        // a window past the end keeps only frames that exist: [9.5 s, 11.5 s) -> 285..299
        assertArrayEquals(new int[] {285, 299}, TemporalIndex.windowFrames(v, 9.5, 11.5, 2));
    }

    @Test
    void loopedClipWrapsAround() {
        // MMAction2 'loop': (offset + j * stride) mod N; 5 frames, offset 0, 4 frames 2 apart: [0, 2, 4, 6 mod 5 = 1]
        assertArrayEquals(new int[] {0, 2, 4, 1}, TemporalIndex.loopedClip(0, 4, 2, 5));
    }
}

package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.audio.WavFiles;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsSeparationCommandTest {
    @TempDir
    Path dir;

    @Test
    void scoresSwappedEstimatesWithTheRightPermutationAndNsdr() throws Exception {
        SplittableRandom rng = new SplittableRandom(5);
        int n = 1600;
        float[][] src = new float[2][n];
        float[] mix = new float[n];
        for (int j = 0; j < 2; j++) {
            for (int i = 0; i < n; i++) {
                src[j][i] = (float) (0.2 * rng.nextGaussian() * Math.exp(-Math.pow((i - 500.0 * (j + 1)) / 300, 2)));
                mix[i] += src[j][i];
            }
        }
        Path a = WavFiles.write(dir.resolve("a.wav"), src[0], 16000);
        Path b = WavFiles.write(dir.resolve("b.wav"), src[1], 16000);
        float[][] est = new float[2][n];
        for (int i = 0; i < n; i++) {
            est[0][i] = src[1][i] + 0.1f * src[0][i]; // the estimates in the other order, a little leaky
            est[1][i] = src[0][i] + 0.1f * src[1][i];
        }
        Path x = WavFiles.write(dir.resolve("x.wav"), est[0], 16000);
        Path y = WavFiles.write(dir.resolve("y.wav"), est[1], 16000);
        Path m = WavFiles.write(dir.resolve("mix.wav"), mix, 16000);
        CliRun run = CliRun.of("metrics", "separation", "--reference", a + "," + b, "--estimate", x + "," + y,
                "--mixture", m.toString(), "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode o = new ObjectMapper().readTree(run.out());
        assertEquals("[1,0]", o.get("permutation").toString());
        for (String key : new String[] {"sdr", "sir"}) {
            for (JsonNode v : o.get(key)) {
                assertTrue(v.asDouble() > 15 && v.asDouble() < 25, key + " " + v); // leak at -20 dB
            }
        }
        for (JsonNode v : o.get("nsdr")) {
            assertTrue(v.asDouble() > 10, "better than the mixture: " + v);
        }
        CliRun text = CliRun.of("metrics", "separation", "--reference", a + "," + b, "--estimate", x.toString());
        assertTrue(text.exitCode() != 0 && text.err().contains("2 references but 1 estimates"), text.err());
    }
}

package dev.kinema.eval.separation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** BSS Eval against mir_eval 0.7 (tools/golden/bss_eval.py): every SDR, SIR, SAR and NSDR within 0.01 dB. */
class BssEvalGoldenTest {
    static final double DB = 1e-2;

    static Path resource(String name) throws Exception {
        return Path.of(BssEvalGoldenTest.class.getResource("/golden/separation/" + name).toURI());
    }

    static float[][] rows(FloatTensor t) {
        int n = (int) t.shape()[0];
        int len = (int) t.shape()[1];
        float[][] out = new float[n][len];
        for (int i = 0; i < n; i++) {
            System.arraycopy(t.data(), i * len, out[i], 0, len);
        }
        return out;
    }

    static void assertDb(JsonNode expected, double[] actual, String what) {
        assertEquals(expected.size(), actual.length, what);
        for (int j = 0; j < actual.length; j++) {
            assertEquals(expected.get(j).asDouble(), actual[j], DB, what + " of source " + j);
        }
    }

    @Test
    void agreesWithMirEvalWithPermutationAndNsdr() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(resource("cases.json").toFile()).get("cases");
        assertEquals(3, cases.size());
        for (JsonNode c : cases) {
            String name = c.get("name").asText();
            float[][] refs = rows(Npy.read(resource(name + "-references.npy")));
            float[][] est = rows(Npy.read(resource(name + "-estimates.npy")));
            float[] mix = Npy.read(resource(name + "-mixture.npy")).data();
            BssEval.WithMixture r = BssEval.evaluate(refs, est, mix);
            assertDb(c.get("sdr"), r.result().sdr(), name + " SDR");
            assertDb(c.get("sir"), r.result().sir(), name + " SIR");
            assertDb(c.get("sar"), r.result().sar(), name + " SAR");
            assertDb(c.get("mixture_sdr"), r.mixtureSdr(), name + " mixture SDR");
            assertDb(c.get("nsdr"), r.nsdr(), name + " NSDR");
            int[] perm = new int[refs.length];
            for (int j = 0; j < perm.length; j++) {
                perm[j] = c.get("permutation").get(j).asInt();
            }
            assertArrayEquals(perm, r.result().permutation(), name + " permutation");
        }
    }

    @Test
    void aPerfectEstimateIsInfiniteAndSilenceIsRefused() {
        float[][] refs = new float[2][600];
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        for (float[] r : refs) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) rng.nextGaussian();
            }
        }
        BssEval.Result r = BssEval.evaluate(refs, new float[][] {refs[1], refs[0]}, true);
        assertArrayEquals(new int[] {1, 0}, r.permutation());
        assertTrue(r.sdr()[0] > 100 && r.sir()[1] > 100, "a perfect estimate: " + r.sdr()[0] + " dB");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BssEval.evaluate(refs, new float[][] {refs[0], new float[600]}, true));
        assertTrue(e.getMessage().contains("estimate 2 is all zeros"), e.getMessage());
    }
}

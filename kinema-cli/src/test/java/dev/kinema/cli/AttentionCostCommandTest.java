package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code kinema models --attention-cost} and the transformers' reference parameter counts. */
class AttentionCostCommandTest {
    @Test
    void comparesTheAttentionsOnTheSameTokens() throws Exception {
        CliRun run = CliRun.of("models", "--attention-cost", "--input", "3x8x224x224", "--no-memory", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode rows = Json.MAPPER.readTree(run.out());
        assertEquals(4, rows.size());
        long joint = 12L * 12 * 1569 * 1569;                        // 12 blocks, 12 heads, 8·196 patches + class token
        long divided = 12L * 12 * (1568 * 8 + 8 * 197 * 197);        // temporal groups of 8, spatial of 196 + class token
        long encoder = 12L * 12 * 8 * 197 * 197 + 4L * 12 * 9 * 9;   // 12 spatial blocks per frame, 4 temporal blocks
        long dotProduct = 12L * 6 * (1568 * 197 + 1568 * 9) + 12L * 12 * 1569;
        long[] expected = {joint, divided, encoder, dotProduct};
        String[] names = {"joint", "divided", "factorised encoder", "factorised dot-product"};
        for (int i = 0; i < 4; i++) {
            JsonNode r = rows.get(i);
            assertEquals(names[i], r.get("attention").asText());
            assertEquals(1569, r.get("tokens").asLong());
            assertEquals(expected[i], r.get("attention_entries").asLong(), names[i]);
            assertEquals(2 * expected[i] * 64, r.get("attention_macs").asLong(), names[i]);
            assertTrue(r.get("model_macs").asLong() > r.get("attention_macs").asLong());
            assertEquals(-1, r.get("forward_peak_bytes").asLong());
        }
        assertTrue(joint > 7 * divided, "joint attention needs 7x the entries of divided here");

        CliRun text = CliRun.of("models", "--attention-cost", "--no-memory");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().lines().anyMatch(l -> l.matches("joint +1,569 +354,493,584 .*")), text.out());
    }

    @Test
    void printsTheReferenceParameterCounts() {
        CliRun run = CliRun.of("models", "vivit-joint");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.matches("total +88,954,000 .*")), run.out());
        run = CliRun.of("models", "timesformer");
        assertTrue(run.out().lines().anyMatch(l -> l.matches("total +121,566,352 .*")), run.out());
    }

    @Test
    void badRequestsSayWhy() {
        CliRun run = CliRun.of("models", "vivit-joint", "--attention-cost");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--attention-cost takes only --input"), run.err());
    }
}

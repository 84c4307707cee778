package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code kinema models slowfast_r50}: the MACs split between the pathways, next to the lecture's 20%. */
class PathwaySplitCommandTest {
    @Test
    void slowFastTableEndsWithTheSplit() {
        CliRun run = CliRun.of("models", "slowfast_r50");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("MACs by pathway: slow 43.92 G (87.3%), fast 5.28 G (10.5%), "
                + "lateral connections 1.10 G (2.2%), head 921.60 K (0.0%)"), run.out());
        assertTrue(run.out().contains("fast pathway: 10.5% of MACs (12.7% with the lateral connections, which run on its "
                + "features), 0.12x the slow pathway; the lecture says about 20%."), run.out());
    }

    @Test
    void splitAsJsonSumsToTheTotal() throws Exception {
        CliRun run = CliRun.of("models", "slowfast_r50", "--input", "3x8x64x64", "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode j = Json.MAPPER.readTree(run.out());
        JsonNode s = j.get("macs_by_pathway");
        assertEquals(j.get("total_macs").asLong(),
                s.get("slow").asLong() + s.get("fast").asLong() + s.get("lateral").asLong() + s.get("head").asLong());
    }

    @Test
    void singlePathwayModelsHaveNoSplit() {
        CliRun run = CliRun.of("models", "x3d_xs");
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.out().contains("MACs by pathway"), run.out());
        assertTrue(run.out().contains("3,794,274"), run.out());
    }
}

package dev.kinema.models.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kinema.models.ModelRegistry;
import org.junit.jupiter.api.Test;

/**
 * The reference configurations' parameter counts, from the layer table (no weights are allocated):
 * the published ones for ViViT models 1 and 4 and TimeSformer, and hand-derived ones for ViViT
 * models 2 and 3, whose configuration docs/models.md states.
 */
class TransformerParameterCountTest {
    private static final long D = 768;
    private static final long BLOCK = 2 * 2 * D + (D * 3 * D + 3 * D) + (D * D + D) + (D * 4 * D + 4 * D) + (4 * D * D + D);
    private static final long HEAD = D * 400 + 400;
    private static final long TUBELET_EMBED = D * 3 * 2 * 16 * 16 + D;

    @Test
    void vivitJointAndFactorisedDotProductHaveThePublishedCount() {
        assertEquals(88_954_000L, ModelRegistry.create("vivit-joint", 400).parameterCount());
        assertEquals(88_954_000L, ModelRegistry.create("vivit-fdp", 400).parameterCount());
    }

    @Test
    void vivitFactorisedEncoderCountDerivedByHand() {
        long spatialTokens = 14 * 14;
        long temporalTokens = 32 / 2;
        long expected = TUBELET_EMBED
                + D + (1 + spatialTokens) * D + 12 * BLOCK + 2 * D                 // spatial encoder
                + D + (1 + temporalTokens) * D + 4 * BLOCK + 2 * D                 // temporal encoder, 4 blocks
                + HEAD;
        assertEquals(expected, ModelRegistry.create("vivit-fe", 400).parameterCount());
        assertEquals(115_062_928L, expected);
    }

    @Test
    void vivitFactorisedSelfAttentionCountDerivedByHand() {
        long tokens = 16 * 14 * 14;
        long temporal = 2 * D + (D * 3 * D + 3 * D) + (D * D + D);               // temporal_norm1 + temporal_attn
        long expected = TUBELET_EMBED + tokens * D + 12 * (BLOCK + temporal) + 2 * D + HEAD;   // no class token
        assertEquals(expected, ModelRegistry.create("vivit-fsa", 400).parameterCount());
        assertEquals(117_319_312L, expected);
    }

    @Test
    void timesformerVariantsHaveThePublishedCounts() {
        assertEquals(121_566_352L, ModelRegistry.create("timesformer", 400).parameterCount());
        assertEquals(86_112_400L, ModelRegistry.create("timesformer-joint", 400).parameterCount());
        assertEquals(86_106_256L, ModelRegistry.create("timesformer-space", 400).parameterCount());
    }

    /** torchvision's published counts (MViT_V1_B_Weights / MViT_V2_S_Weights {@code num_params}), 16x224x224, 400 classes. */
    @Test
    void mvitHasTorchvisionsCounts() {
        assertEquals(36_610_672L, ModelRegistry.create("mvit_v1_b", 400).parameterCount());
        assertEquals(34_537_744L, ModelRegistry.create("mvit_v2_s", 400).parameterCount());
    }
}

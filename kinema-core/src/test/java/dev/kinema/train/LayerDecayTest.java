package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Parameter;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.weights.ParameterNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LayerDecayTest {
    @Test
    void theHeadLearnsAtTheFullRateAndEachBlockBelowAtAFactorLess() {
        VideoModel model = ModelRegistry.create("videomae-small", 3); // 4 blocks
        Map<Parameter, Float> scales = LayerDecay.scales(model, 0.75);
        Map<String, Parameter> named = ParameterNames.of(model);
        assertEquals(named.size(), scales.size());
        assertEquals(Math.pow(0.75, 5), scales.get(named.get("patch_embed.proj.weight")), 1e-7);
        assertEquals(Math.pow(0.75, 4), scales.get(named.get("blocks.0.attn.qkv.weight")), 1e-7);
        assertEquals(0.75, scales.get(named.get("blocks.3.mlp.fc1.weight")), 1e-7);
        assertEquals(1.0, scales.get(named.get("fc_norm.weight")), 0);
        assertEquals(1.0, scales.get(named.get("head.weight")), 0);
        assertThrows(IllegalArgumentException.class, () -> LayerDecay.scales(ModelRegistry.create("tiny-3d", 3), 0.75));
    }

    @Test
    void layerDecayIsSavedInTheConfigurationOnlyWhenSet() throws Exception {
        TrainConfig plain = TrainConfig.builder().setData("d").setModel("videomae-small").build();
        TrainConfig decayed = plain.toBuilder().optLayerDecay(0.75).build();
        String plainJson = RunDir.JSON.writeValueAsString(plain);
        String decayedJson = RunDir.JSON.writeValueAsString(decayed);
        assertFalse(plainJson.contains("layer_decay"), plainJson);
        assertTrue(decayedJson.contains("\"layer_decay\":0.75"), decayedJson);
        assertEquals(decayed, RunDir.JSON.readValue(decayedJson, TrainConfig.class));
        assertEquals(plain, RunDir.JSON.readValue(plainJson, TrainConfig.class));
        assertFalse(Trainer.differences(decayed, plain).isEmpty(), "resuming with another layer decay is refused");
    }
}

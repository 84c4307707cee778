package dev.kinema.train;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import dev.kinema.weights.ParameterNames;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Layer-wise learning-rate decay for ViT-like models, as BEiT, MAE and VideoMAE fine-tune
 * ({@code LayerDecayValueAssigner}, timm's {@code param_groups_layer_decay}): with {@code L} blocks,
 * the embedding ({@code patch_embed}, {@code cls_token}, {@code pos_embed}) is layer 0, block
 * {@code blocks.i} is layer {@code i + 1} and everything after (final norm, head) layer
 * {@code L + 1}; a parameter of layer {@code k} learns at {@code lr · decay^(L + 1 − k)}. So the head
 * gets the full rate and the layers nearest the pixels, which pretraining shaped most generally,
 * the smallest.
 */
public final class LayerDecay {
    private static final Pattern BLOCK = Pattern.compile("^blocks\\.(\\d+)\\.");

    private LayerDecay() {}

    /**
     * Each parameter's learning-rate factor in {@code model} under {@code decay}.
     *
     * @throws IllegalArgumentException when the model has no {@code blocks.N} parameters
     */
    public static Map<Parameter, Float> scales(Block model, double decay) {
        Map<String, Parameter> named = ParameterNames.of(model);
        int blocks = 0;
        for (String name : named.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.find()) {
                blocks = Math.max(blocks, Integer.parseInt(m.group(1)) + 1);
            }
        }
        if (blocks == 0) {
            throw new IllegalArgumentException("layer decay needs a transformer whose blocks are named blocks.N;"
                    + " this model has none");
        }
        Map<Parameter, Float> out = new IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            int layer = layerOf(e.getKey(), blocks);
            out.put(e.getValue(), (float) Math.pow(decay, blocks + 1 - layer));
        }
        return out;
    }

    /** The layer of a parameter by name in a model of {@code blocks} blocks. */
    static int layerOf(String name, int blocks) {
        if (name.startsWith("patch_embed.") || name.equals("cls_token") || name.equals("pos_embed")) {
            return 0;
        }
        Matcher m = BLOCK.matcher(name);
        return m.find() ? Integer.parseInt(m.group(1)) + 1 : blocks + 1;
    }
}

package dev.kinema.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Every parameter of a model under its PyTorch-style name, the names safetensors files and
 * {@code state_dict}s use.
 *
 * <p>The name is the path of child-block names joined by dots, without DJL's two-digit child
 * index ({@code 01layer1} is {@code layer1}), followed by the parameter's name in PyTorch's
 * spelling: BatchNorm's {@code gamma}, {@code beta}, {@code runningMean} and {@code runningVar}
 * are {@code weight}, {@code bias}, {@code running_mean} and {@code running_var}. The top-level
 * {@code features} and {@code head} blocks of a {@link dev.kinema.models.VideoModel} are dropped,
 * so a model whose blocks are named as in its reference implementation (torchvision's
 * {@code stem}, {@code layer1.0.conv1.0}, {@code fc}) gets exactly the reference's names.
 */
public final class ParameterNames {
    private static final Set<String> DROPPED_ROOTS = Set.of("features", "head");
    private static final Map<String, String> TORCH_SPELLING = Map.of(
            "gamma", "weight",
            "beta", "bias",
            "runningMean", "running_mean",
            "runningVar", "running_var");

    private ParameterNames() {}

    /** Parameters by PyTorch-style name, in the model's block order. */
    public static Map<String, Parameter> of(Block model) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(model, "", true, out);
        return out;
    }

    /**
     * Every block under its PyTorch-style module name (the model itself under {@code ""}), in
     * block order: the prefixes of {@link #of}'s names, e.g. {@code fc} for {@code fc.weight}.
     */
    public static Map<String, Block> blocks(Block model) {
        Map<String, Block> out = new LinkedHashMap<>();
        collectBlocks(model, "", true, out);
        return out;
    }

    /**
     * Copies every parameter of {@code from} into the same-named parameter of {@code to}, strictly:
     * both must have exactly the same names and shapes, or nothing is copied.
     *
     * @param source what {@code from} is, for the message (e.g. the run directory)
     * @throws IllegalArgumentException naming {@code source} and every name or shape that differs
     * @return how many tensors were copied
     */
    public static int copy(Block from, Block to, Object source) {
        Map<String, Parameter> in = of(from);
        Map<String, Parameter> out = of(to);
        java.util.List<String> differ = new java.util.ArrayList<>();
        in.keySet().stream().filter(n -> !out.containsKey(n)).forEach(n -> differ.add("unexpected " + n));
        out.keySet().stream().filter(n -> !in.containsKey(n)).forEach(n -> differ.add("missing " + n));
        out.forEach((n, p) -> {
            Parameter q = in.get(n);
            if (q != null && !q.getArray().getShape().equals(p.getArray().getShape())) {
                differ.add(n + " is " + q.getArray().getShape() + ", not " + p.getArray().getShape());
            }
        });
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(source + ": its model does not fit (" + differ.size() + " differences, e.g. "
                    + differ.subList(0, Math.min(3, differ.size())) + ")");
        }
        out.forEach((n, p) -> in.get(n).getArray().copyTo(p.getArray()));
        return out.size();
    }

    /** A DJL child name without its two-digit index ({@code 01stem} is {@code stem}). */
    public static String childName(String djlName) {
        if (djlName.length() >= 2 && Character.isDigit(djlName.charAt(0)) && Character.isDigit(djlName.charAt(1))) {
            return djlName.substring(2);
        }
        return djlName;
    }

    /** A DJL parameter name in PyTorch's spelling. */
    public static String torchSpelling(String djlParameterName) {
        return TORCH_SPELLING.getOrDefault(djlParameterName, djlParameterName);
    }

    private static void collectBlocks(Block block, String path, boolean root, Map<String, Block> out) {
        out.putIfAbsent(path, block);
        for (Pair<String, Block> child : block.getChildren()) {
            String name = childName(child.getKey());
            String childPath = root && DROPPED_ROOTS.contains(name) ? path : path.isEmpty() ? name : path + "." + name;
            collectBlocks(child.getValue(), childPath, false, out);
        }
    }

    private static void collect(Block block, String prefix, boolean root, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String name = prefix + torchSpelling(p.getKey());
            if (out.put(name, p.getValue()) != null) {
                throw new IllegalStateException("two parameters are both named " + name);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            String name = childName(child.getKey());
            String childPrefix = root && DROPPED_ROOTS.contains(name) ? prefix : prefix + name + ".";
            collect(child.getValue(), childPrefix, false, out);
        }
    }
}

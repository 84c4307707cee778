package dev.kinema.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.kinema.nn.LayerRow;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.NonLocalBlock;
import dev.kinema.weights.ParameterNames;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts {@link NonLocalBlock}s into a 3D CNN after named stages ({@link ModelConfig#nonLocal()},
 * {@code --non-local layer2,layer3}): each is appended to its stage as a last child called
 * {@code nonlocal}, so the stage's output (and {@code forwardIntermediates}) includes it, the
 * network's own parameter names do not change (pretrained weights still load, with the blocks'
 * parameters as {@code layer2.nonlocal.conv_theta.weight}, ...), and the layer table shows it as
 * the row {@code layer2.nonlocal}.
 *
 * <p>One block per stage, after its last residual block, with keys and values max-pooled 1×2×2 as
 * in the paper; Wang et al.'s best Kinetics model puts 5 in res3 and res4 (every other block), which
 * this simpler placement does not reproduce. The blocks start as the identity (their BatchNorm's
 * scale is zero), so inserting them into a trained network leaves its output unchanged.
 */
public final class NonLocalInsertion {
    /** The key pooling of the paper: half the height and width, all frames. */
    public static final Shape KEY_POOL = new Shape(1, 2, 2);
    /** The name of an inserted block inside its stage. */
    public static final String CHILD = "nonlocal";

    private NonLocalInsertion() {}

    /**
     * Inserts a block after each of {@code stages} of {@code model}.
     *
     * @throws IllegalArgumentException naming the stage when it does not exist, is not a sequence of
     *     blocks, or is not a 3D map
     */
    public static void insert(VideoModel model, List<String> stages) {
        if (stages.isEmpty()) {
            return;
        }
        if (new HashSet<>(stages).size() != stages.size()) {
            throw new IllegalArgumentException("--non-local names a stage twice: " + String.join(",", stages));
        }
        LayerTable table = model.layerTable();
        Map<String, Block> blocks = ParameterNames.blocks(model);
        for (String stage : stages) {
            Block block = blocks.get(stage);
            if (!(block instanceof NamedSequential seq) || seq.isUnit()) {
                throw new IllegalArgumentException(model.name() + " has no stage '" + stage + "' to put a non-local block"
                        + " after; its stages: " + String.join(", ", stageNames(blocks)));
            }
            LayerRow row = lastRowOf(table, stage);
            long[] shape = row.shape();
            if (shape.length != 4) {
                throw new IllegalArgumentException(model.name() + "'s stage " + stage + " gives " + row.shapeText()
                        + " maps; a non-local block needs C x T x H x W");
            }
            seq.add(CHILD, new NonLocalBlock(shape[0], KEY_POOL));
        }
    }

    private static LayerRow lastRowOf(LayerTable table, String stage) {
        LayerRow last = null;
        for (LayerRow row : table.rows()) {
            if (row.name().equals(stage) || row.name().startsWith(stage + ".")) {
                last = row;
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("no layer-table rows for stage " + stage);
        }
        return last;
    }

    /** Module paths of the containers that can take a block: sequences at the top two levels. */
    private static Set<String> stageNames(Map<String, Block> blocks) {
        Set<String> names = new java.util.LinkedHashSet<>();
        blocks.forEach((name, b) -> {
            if (!name.isEmpty() && name.split("\\.").length <= 2 && b instanceof NamedSequential s && !s.isUnit()) {
                names.add(name);
            }
        });
        return names;
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Blocks applied one after another, each under a name ({@code conv1}, {@code pool1}, {@code fc6}),
 * the names the layer table and {@link #get} use.
 *
 * <p>Two kinds: {@link #layers()} is a container, whose children each get a row in a layer table
 * (a nested container's rows are prefixed, e.g. {@code layer1.0}); {@link #unit()} is one layer
 * made of several blocks (conv + norm + activation) and gets one row, labelled by its first block.
 */
public final class NamedSequential extends AbstractBlock implements Profiled, Staged {
    private static final byte VERSION = 1;

    private final boolean unit;
    private final List<String> names = new ArrayList<>();
    private final List<Block> blocks = new ArrayList<>();
    /** Batch norms folded into the convolution before them in eval mode, by position ({@link ConvNormFolding}). */
    private final Map<Integer, BatchNorm> foldedNorms = new HashMap<>();

    private NamedSequential(boolean unit) {
        super(VERSION);
        this.unit = unit;
    }

    /** A container: one table row per child. */
    public static NamedSequential layers() {
        return new NamedSequential(false);
    }

    /** One layer made of several blocks: one table row. */
    public static NamedSequential unit() {
        return new NamedSequential(true);
    }

    /** Appends {@code block} under {@code name} (unique within this sequence). */
    public NamedSequential add(String name, Block block) {
        if (names.contains(name)) {
            throw new IllegalArgumentException("duplicate layer name '" + name + "' in " + names);
        }
        names.add(name);
        blocks.add(block);
        addChildBlock(name, block);
        return this;
    }

    /** The child called {@code name}. */
    public Block get(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no layer '" + name + "'; layers are " + names);
        }
        return blocks.get(i);
    }

    /**
     * Puts {@code block} in place of the child called {@code name}, under the same name and at the
     * same position (so its parameters take the old one's names). The new block is uninitialised.
     */
    public void replace(String name, Block block) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no layer '" + name + "'; layers are " + names);
        }
        blocks.set(i, block);
        foldedNorms.remove(i);   // a new block: whether it folds is for ConvNormFolding.apply to say again
        foldedNorms.remove(i + 1);
        String key = children.keyAt(i);
        children.remove(i);
        children.add(i, key, block);
    }

    /** Child names, in order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** True for a {@link #unit()}. */
    public boolean isUnit() {
        return unit;
    }

    /** The last child, or null for an empty sequence. */
    Block last() {
        return blocks.isEmpty() ? null : blocks.get(blocks.size() - 1);
    }

    /** Marks each batch norm right after a block ending in a convolution for folding; returns how many. */
    int markFoldedNorms() {
        foldedNorms.clear();
        for (int i = 1; i < blocks.size(); i++) {
            if (blocks.get(i) instanceof BatchNorm norm && ConvNormFolding.foldable(norm)
                    && ConvNormFolding.endsInConvolution(blocks.get(i - 1))) {
                foldedNorms.put(i, norm);
            }
        }
        return foldedNorms.size();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (!training && !foldedNorms.isEmpty() && InferenceOptions.fuseBn()) {
            return forwardFolding(parameterStore, inputs, params, null);
        }
        NDList x = inputs;
        for (Block b : blocks) {
            x = b.forward(parameterStore, x, training, params);
        }
        return x;
    }

    /**
     * The eval-mode forward with every marked batch norm folded into the convolution before it, and
     * {@code outerNorm} (when not null: the batch norm after this whole sequence) into its last block.
     */
    NDList forwardFolding(ParameterStore parameterStore, NDList inputs, PairList<String, Object> params,
            BatchNorm outerNorm) {
        NDList x = inputs;
        int n = blocks.size();
        for (int i = 0; i < n; i++) {
            BatchNorm norm = i == n - 1 ? outerNorm : foldedNorms.get(i + 1);
            if (norm == null) {
                x = blocks.get(i).forward(parameterStore, x, false, params);
            } else {
                x = ConvNormFolding.forwardFolded(blocks.get(i), parameterStore, x, params, norm);
                if (i < n - 1) {
                    i++;   // that norm is this sequence's next block, applied already
                }
            }
        }
        return x;
    }

    /**
     * Each child's output under its name; a sequence of one container (e.g. {@code blocks}) gives
     * that container's stages instead ({@code blocks.0}, {@code blocks.1}, ...).
     */
    @Override
    public NDList forwardStages(ParameterStore parameterStore, NDList inputs, boolean training, String prefix,
            Map<String, NDList> stages) {
        if (blocks.size() == 1 && blocks.get(0) instanceof Staged inner) {
            return inner.forwardStages(parameterStore, inputs, training, Profiler.childName(prefix, names.get(0)), stages);
        }
        NDList x = inputs;
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).forward(parameterStore, x, training);
            stages.put(Profiler.childName(prefix, names.get(i)), x);
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block b : blocks) {
            b.initialize(manager, dataType, shapes);
            shapes = b.getOutputShapes(shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block b : blocks) {
            shapes = b.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap x = in;
        for (Block b : blocks) {
            x = profiler.visit(b, x);
        }
        return x;
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        if (unit) {
            return profiler.row(name, this, in);
        }
        FeatureMap x = in;
        for (int i = 0; i < blocks.size(); i++) {
            x = profiler.rows(Profiler.childName(name, names.get(i)), blocks.get(i), x);
        }
        return x;
    }

    @Override
    public String label(FeatureMap in) {
        return blocks.isEmpty() ? "Empty" : Profiler.label(blocks.get(0), in);
    }

    @Override
    public String toString() {
        return (unit ? "Unit" : "Layers") + names;
    }
}

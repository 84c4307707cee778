package dev.kinema.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A ResNet block whose layers are its direct children under torchvision's names ({@code conv1},
 * {@code bn1}, ..., {@code downsample}), so its parameters are named as in torchvision's
 * {@code state_dict} ({@link dev.kinema.models.Backbone}'s blocks nest them under {@code main}).
 * Optionally a parameter-free block (TSM's temporal shift) runs on the residual branch's input
 * only, before {@code conv1}: the shortcut sees the unshifted features. One layer-table row.
 */
final class ResNetBlock extends AbstractBlock implements Profiled {
    private final String label;
    private final Block shift;
    private final List<Block> branch = new ArrayList<>();
    private final Block downsample;
    private final Block activation;

    private ResNetBlock(Builder b) {
        this.label = b.label;
        this.shift = b.shift == null ? null : addChildBlock("shift", b.shift);
        for (int i = 0; i < b.names.size(); i++) {
            branch.add(addChildBlock(b.names.get(i), b.blocks.get(i)));
        }
        this.downsample = b.downsample == null ? null : addChildBlock("downsample", b.downsample);
        this.activation = addChildBlock("relu", Objects.requireNonNull(b.activation, "activation"));
    }

    static Builder builder(String label) {
        return new Builder(label);
    }

    /** True when a temporal shift precedes the residual branch. */
    boolean isShifted() {
        return shift != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = shift == null ? inputs : shift.forward(parameterStore, inputs, training, params);
        for (Block b : branch) {
            x = b.forward(parameterStore, x, training, params);
        }
        NDList across = downsample == null ? inputs : downsample.forward(parameterStore, inputs, training, params);
        return activation.forward(parameterStore, new NDList(x.head().add(across.head())), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] shapes = inputShapes;
        if (shift != null) {
            shift.initialize(manager, dataType, shapes);
        }
        for (Block b : branch) {
            b.initialize(manager, dataType, shapes);
            shapes = b.getOutputShapes(shapes);
        }
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes);
        }
        activation.initialize(manager, dataType, shapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] shapes = inputShapes;
        for (Block b : branch) {
            shapes = b.getOutputShapes(shapes);
        }
        return shapes;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap x = shift == null ? in : profiler.visit(shift, in);
        for (Block b : branch) {
            x = profiler.visit(b, x);
        }
        FeatureMap across = downsample == null ? in : profiler.visit(downsample, in);
        if (!Arrays.equals(x.shape(), across.shape())) {
            throw new IllegalArgumentException("residual branch gives " + x.shapeText() + " but the shortcut gives "
                    + across.shapeText());
        }
        return profiler.visit(activation, x);
    }

    @Override
    public String label(FeatureMap in) {
        return label;
    }

    /** The branch's layers in order, by name; an optional shift, downsample and the final activation. */
    static final class Builder {
        private final String label;
        private final List<String> names = new ArrayList<>();
        private final List<Block> blocks = new ArrayList<>();
        private Block shift;
        private Block downsample;
        private Block activation;

        private Builder(String label) {
            this.label = Objects.requireNonNull(label, "label");
        }

        Builder add(String name, Block block) {
            names.add(name);
            blocks.add(block);
            return this;
        }

        Builder optShift(Block shiftBlock) {
            this.shift = shiftBlock;
            return this;
        }

        Builder optDownsample(Block projection) {
            this.downsample = projection;
            return this;
        }

        Builder setActivation(Block act) {
            this.activation = act;
            return this;
        }

        ResNetBlock build() {
            return new ResNetBlock(this);
        }
    }
}

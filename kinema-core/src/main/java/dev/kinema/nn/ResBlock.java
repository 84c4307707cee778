package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.Objects;

/**
 * {@code activation(branch2(x) + shortcut(x))} laid out as PyTorchVideo's {@code ResBlock}, so that
 * its parameters carry PyTorchVideo's names: the shortcut is {@code branch1_conv} (a strided 1×1×1
 * convolution, absent for the identity) and {@code branch1_norm} (absent where PyTorchVideo has
 * none), the main path is {@code branch2}. {@link Residual} is the same idea with torchvision's
 * layout. One table row, whose receptive field is the main path's.
 */
public final class ResBlock extends AbstractBlock implements Profiled {
    private final String label;
    private final Block branch1Conv;
    private final Block branch1Norm;
    private final Block branch2;
    private final Block activation;

    /**
     * @param label what the layer table calls it
     * @param branch1Conv the shortcut's projection, or {@code null} for the identity
     * @param branch1Norm the projection's normalisation, or {@code null}
     * @param branch2 the main path
     * @param activation after the sum, or {@code null}
     */
    public ResBlock(String label, Block branch1Conv, Block branch1Norm, Block branch2, Block activation) {
        this.label = Objects.requireNonNull(label, "label");
        if (branch1Conv == null && branch1Norm != null) {
            throw new IllegalArgumentException("a shortcut normalisation needs a shortcut convolution");
        }
        this.branch1Conv = branch1Conv == null ? null : addChildBlock("branch1_conv", branch1Conv);
        this.branch1Norm = branch1Norm == null ? null : addChildBlock("branch1_norm", branch1Norm);
        this.branch2 = addChildBlock("branch2", Objects.requireNonNull(branch2, "branch2"));
        this.activation = activation == null ? null : addChildBlock("activation", activation);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray main = branch2.forward(parameterStore, inputs, training, params).singletonOrThrow();
        NDList shortcut = inputs;
        if (branch1Conv != null) {
            shortcut = branch1Conv.forward(parameterStore, shortcut, training, params);
            if (branch1Norm != null) {
                shortcut = branch1Norm.forward(parameterStore, shortcut, training, params);
            }
        }
        NDList sum = new NDList(main.add(shortcut.singletonOrThrow()));
        return activation == null ? sum : activation.forward(parameterStore, sum, training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        branch2.initialize(manager, dataType, inputShapes);
        Shape[] out = branch2.getOutputShapes(inputShapes);
        if (branch1Conv != null) {
            branch1Conv.initialize(manager, dataType, inputShapes);
            if (branch1Norm != null) {
                branch1Norm.initialize(manager, dataType, branch1Conv.getOutputShapes(inputShapes));
            }
        }
        if (activation != null) {
            activation.initialize(manager, dataType, out);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return branch2.getOutputShapes(inputShapes);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap out = profiler.visit(branch2, in);
        FeatureMap across = in;
        if (branch1Conv != null) {
            across = profiler.visit(branch1Conv, across);
            if (branch1Norm != null) {
                across = profiler.visit(branch1Norm, across);
            }
        }
        if (!Arrays.equals(out.shape(), across.shape())) {
            throw new IllegalArgumentException("branch2 gives " + out.shapeText() + " but the shortcut gives "
                    + across.shapeText());
        }
        return activation == null ? out : profiler.visit(activation, out);
    }

    @Override
    public String label(FeatureMap in) {
        return label;
    }
}

package dev.kinema.nn;

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
 * {@code activation(main(x) + shortcut(x))}, the residual block of ResNets. The shortcut is the
 * identity unless given (a strided 1×1 projection where the shape changes). One table row: the
 * receptive field is the main path's, the wider of the two.
 */
public final class Residual extends AbstractBlock implements Profiled {
    private final String label;
    private final Block main;
    private final Block shortcut;
    private final Block activation;

    /**
     * @param label what the table calls it, e.g. {@code BasicBlock(64->128, stride 2)}
     * @param shortcut the projection, or {@code null} for the identity
     */
    public Residual(String label, Block main, Block shortcut, Block activation) {
        this.label = Objects.requireNonNull(label, "label");
        this.main = addChildBlock("main", main);
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
        this.activation = addChildBlock("activation", activation);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList m = main.forward(parameterStore, inputs, training, params);
        NDList s = shortcut == null ? inputs : shortcut.forward(parameterStore, inputs, training, params);
        return activation.forward(parameterStore, new NDList(m.head().add(s.head())), training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        main.initialize(manager, dataType, inputShapes);
        Shape[] out = main.getOutputShapes(inputShapes);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
        }
        activation.initialize(manager, dataType, out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return main.getOutputShapes(inputShapes);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap out = profiler.visit(main, in);
        FeatureMap across = shortcut == null ? in : profiler.visit(shortcut, in);
        if (!Arrays.equals(out.shape(), across.shape())) {
            throw new IllegalArgumentException("main path gives " + out.shapeText() + " but the shortcut gives "
                    + across.shapeText());
        }
        return profiler.visit(activation, out);
    }

    @Override
    public String label(FeatureMap in) {
        return label;
    }
}

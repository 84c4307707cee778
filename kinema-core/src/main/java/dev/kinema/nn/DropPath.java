package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;

/**
 * Stochastic depth (Huang et al. 2016) as timm's {@code DropPath}: in training, a residual branch's
 * output is zeroed for a random {@code rate} of the samples of the batch and scaled by
 * {@code 1 / (1 - rate)} for the rest; at inference it is the identity. The random draw uses the
 * engine's generator, so a seeded run draws the same paths.
 */
public final class DropPath extends AbstractBlock implements Profiled {
    private final float rate;

    public DropPath(float rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("drop-path rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
    }

    /** timm's linearly increasing rates: block {@code i} of {@code depth} drops with {@code maxRate·i/(depth-1)}. */
    public static float linearRate(float maxRate, int block, int depth) {
        return depth <= 1 ? 0f : maxRate * block / (depth - 1);
    }

    public float rate() {
        return rate;
    }

    /** {@code branch} with whole samples dropped, as {@link #forward} does, for a block that applies it inline. */
    public NDArray apply(NDArray branch, boolean training) {
        if (!training || rate == 0f) {
            return branch;
        }
        long[] keepShape = new long[branch.getShape().dimension()];
        java.util.Arrays.fill(keepShape, 1);
        keepShape[0] = branch.getShape().get(0);
        float keep = 1f - rate;
        NDArray mask = Scalars.div(branch.getManager().randomUniform(0f, 1f, new Shape(keepShape)).lt(keep)
                .toType(branch.getDataType(), false), keep);
        return branch.mul(mask);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in;
    }

    @Override
    public boolean isRow() {
        return false;
    }
}

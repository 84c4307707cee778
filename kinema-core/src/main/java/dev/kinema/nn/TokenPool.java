package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A transformer's tokens N×L×D to one feature vector per clip N×D: the class token (the first
 * token, as timm's {@code global_pool="token"}) or the mean of all tokens ({@code "avg"}).
 */
public final class TokenPool extends AbstractBlock implements Profiled {
    private final boolean classToken;

    private TokenPool(boolean classToken) {
        this.classToken = classToken;
    }

    /** The first token. */
    public static TokenPool classToken() {
        return new TokenPool(true);
    }

    /** The mean over tokens. */
    public static TokenPool mean() {
        return new TokenPool(false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        return new NDList(classToken ? x.get(":, 0, :") : x.mean(new int[] {1}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(s.dimension() - 1))};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.poolAll().flatten();
    }

    @Override
    public String label(FeatureMap in) {
        return classToken ? "ClassToken" : "MeanTokens";
    }
}

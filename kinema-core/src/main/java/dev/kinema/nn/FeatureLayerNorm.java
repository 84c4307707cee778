package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * LayerNorm over the last axis, the feature axis of a token array N×...×D: torch's
 * {@code nn.LayerNorm(D, eps)}, with parameters {@code weight} (ones) and {@code bias} (zeros) of
 * shape D. The transformers' pre-norm. Its D scales and D shifts are counted as parameters; its
 * arithmetic is not counted as MACs (as BatchNorm's is not).
 */
public final class FeatureLayerNorm extends AbstractBlock implements Profiled {
    /** timm's ViT and TimeSformer, and torchvision's MViT, normalise with this epsilon. */
    public static final float VIT_EPSILON = 1e-6f;

    private final long features;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;

    public FeatureLayerNorm(long features, float epsilon) {
        this.features = features;
        this.epsilon = epsilon;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(features)).optInitializer(new ConstantInitializer(1f)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(new Shape(features)).optInitializer(new ConstantInitializer(0f)).build());
    }

    /** LayerNorm with {@link #VIT_EPSILON}. */
    public static FeatureLayerNorm vit(long features) {
        return new FeatureLayerNorm(features, VIT_EPSILON);
    }

    /** The normalised {@code x}, for a block that applies this norm inline. */
    public NDArray apply(ParameterStore parameterStore, NDArray x, boolean training) {
        return forward(parameterStore, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().get(x.getShape().dimension() - 1) != features) {
            throw new IllegalArgumentException("LayerNorm over " + features + " features got " + x.getShape());
        }
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
        return LayerNorm.layerNorm(x, new Shape(features), w, b, epsilon);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != features) {
            throw new IllegalArgumentException("LayerNorm over " + features + " features got " + in.shapeText());
        }
        profiler.count(2 * features, 0);
        return in;
    }

    @Override
    public String label(FeatureMap in) {
        return "LayerNorm(" + features + ")";
    }
}

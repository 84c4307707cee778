package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.lang.reflect.Field;

/**
 * Batch norm folded into the convolution before it, for inference: in eval mode a batch norm is
 * the per-channel affine map {@code y = s·(x - mean) + beta} with {@code s = gamma / sqrt(var + eps)},
 * so {@code bn(conv(x, w, b)) = conv(x, s·w, s·(b - mean) + beta)}, one convolution instead of a
 * convolution and a pass over its output (PyTorch's {@code fuse_conv_bn_eval}, what
 * {@code torch.fx} and TorchScript's {@code freeze} do).
 *
 * <p>{@link #apply} marks, in every {@link NamedSequential} of a model, each batch norm whose
 * previous block ends in a {@link GuardedConv3d} (itself, or a sequence ending in one: R(2+1)D's
 * temporal convolution). Nothing else changes: the blocks, their parameters, their names and the
 * training-mode forward stay as they are, so a folded model still trains, saves and loads. In an
 * eval-mode forward (with {@link InferenceOptions#fuseBn}), the sequence runs the pair as one
 * convolution with folded weights, computed on the first such forward and cached in the
 * convolution; the cache is dropped by any training-mode forward of the convolution, is recomputed
 * when a parameter's array is replaced, and {@link #apply} drops it too (call it again after copying
 * weights into the arrays in place).
 */
public final class ConvNormFolding {
    private ConvNormFolding() {}

    /** Marks every conv-then-batch-norm pair of {@code model} for folding; returns how many it marked. */
    public static int apply(Block model) {
        int pairs = 0;
        if (model instanceof NamedSequential sequence) {
            pairs += sequence.markFoldedNorms();
        }
        if (model instanceof GuardedConv3d conv) {
            conv.dropFoldedWeights();
        }
        for (Block child : model.getChildren().values()) {
            pairs += apply(child);
        }
        return pairs;
    }

    /** Whether {@code block} computes a {@link GuardedConv3d} last, so that a batch norm after it can be folded into it. */
    static boolean endsInConvolution(Block block) {
        if (block instanceof GuardedConv3d) {
            return true;
        }
        return block instanceof NamedSequential sequence && sequence.last() != null
                && endsInConvolution(sequence.last());
    }

    /** Whether {@code norm} normalises the channel axis (1, DJL's default), the only one folded into a convolution. */
    static boolean foldable(BatchNorm norm) {
        return (int) privateField(norm, "axis") == 1;
    }

    /**
     * The eval-mode forward of {@code block} (for which {@link #endsInConvolution} holds) followed by
     * {@code norm}, as one computation.
     */
    static NDList forwardFolded(Block block, ParameterStore parameterStore, NDList inputs,
            PairList<String, Object> params, BatchNorm norm) {
        if (block instanceof GuardedConv3d conv) {
            return conv.forwardFolded(parameterStore, inputs, norm);
        }
        return ((NamedSequential) block).forwardFolding(parameterStore, inputs, params, norm);
    }

    /**
     * The folded weight and bias, float32 (computed in float64): {@code w·s} per output channel and
     * {@code (b - mean)·s + beta}, {@code s = gamma / sqrt(var + eps)}; {@code b} may be null (no bias).
     * The arrays are detached from any autograd graph and land in {@code w}'s manager.
     */
    static NDList fold(NDArray w, NDArray b, NDArray gamma, NDArray beta, NDArray mean, NDArray var, float eps) {
        NDArray scale = f64(gamma).div(f64(var).add(eps).sqrt());
        long[] perChannel = new long[w.getShape().dimension()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[0] = -1;
        NDArray weight = f64(w).mul(scale.reshape(perChannel));
        NDArray shift = b == null ? f64(mean).neg() : f64(b).sub(f64(mean));
        NDArray bias = shift.mul(scale).add(f64(beta));
        return new NDList(weight.toType(DataType.FLOAT32, false), bias.toType(DataType.FLOAT32, false));
    }

    /** A batch norm's epsilon (DJL keeps it private; it is in the eval-mode formula). */
    static float epsilon(BatchNorm norm) {
        return (float) privateField(norm, "epsilon");
    }

    private static NDArray f64(NDArray a) {
        return a.stopGradient().toType(DataType.FLOAT64, false);
    }

    private static Object privateField(BatchNorm norm, String name) {
        try {
            Field field = BatchNorm.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(norm);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read BatchNorm." + name + " of this DJL version to fold it into a"
                    + " convolution; run with -D" + InferenceOptions.FUSE_BN + "=false", e);
        }
    }
}

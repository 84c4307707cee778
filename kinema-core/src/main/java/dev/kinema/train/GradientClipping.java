package dev.kinema.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

/**
 * Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_} does it (which
 * MMAction2's {@code clip_grad=dict(max_norm=40)} and timm's {@code --clip-grad} call): the L2 norm
 * of all gradients taken together is computed, and if it exceeds the bound every gradient is scaled
 * by {@code maxNorm / (norm + 1e-6)}, so the update keeps its direction and only its length is
 * capped. It keeps one bad batch from throwing a transformer's weights far off.
 */
public final class GradientClipping {
    /** torch's guard against dividing by a zero norm. */
    private static final double EPSILON = 1e-6;

    private GradientClipping() {}

    /**
     * The global L2 norm of the gradients of {@code model}'s trainable parameters (0 if none has
     * one), computed in {@code scratch}.
     */
    public static double globalNorm(Block model, NDManager scratch) {
        NDArray sumOfSquares = null;
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray gradient = gradientOf(p.getValue(), scratch);
            if (gradient != null) {
                NDArray squares = gradient.square().sum();
                sumOfSquares = sumOfSquares == null ? squares : sumOfSquares.add(squares);
            }
        }
        return sumOfSquares == null ? 0 : Math.sqrt(sumOfSquares.getFloat());
    }

    /**
     * Scales {@code model}'s gradients in place so that their global norm is at most
     * {@code maxNorm}; returns the norm before clipping.
     */
    public static double clip(Block model, double maxNorm, NDManager scratch) {
        if (!(maxNorm > 0) || !Double.isFinite(maxNorm)) {
            throw new IllegalArgumentException("the gradient clipping norm must be finite and > 0, got " + maxNorm);
        }
        double norm = globalNorm(model, scratch);
        double coefficient = maxNorm / (norm + EPSILON);
        if (coefficient < 1) {
            for (Pair<String, Parameter> p : model.getParameters()) {
                NDArray gradient = gradientOf(p.getValue(), scratch);
                if (gradient != null) {
                    gradient.muli((float) coefficient);
                }
            }
        }
        return norm;
    }

    /** The parameter's gradient, attached to {@code scratch} (the handle, not the parameter's storage), or null. */
    private static NDArray gradientOf(Parameter parameter, NDManager scratch) {
        if (!parameter.requiresGradient() || !parameter.isInitialized() || !parameter.getArray().hasGradient()) {
            return null;
        }
        NDArray gradient = parameter.getArray().getGradient();
        gradient.attach(scratch);
        return gradient;
    }
}

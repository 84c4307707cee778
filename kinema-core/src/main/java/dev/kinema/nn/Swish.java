package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Swish (SiLU), {@code x · sigmoid(x)}: X3D's activation inside its bottlenecks, where a smooth,
 * non-monotonic function after the depthwise convolution works better than ReLU.
 */
public final class Swish {
    private Swish() {}

    /** {@code x · sigmoid(x)}, element by element. */
    public static NDArray apply(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    /** A new Swish activation block. */
    public static Elementwise block() {
        return new Elementwise("Swish", Swish::apply);
    }
}

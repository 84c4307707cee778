package dev.kinema.adamml;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.engine.Scalars;
import java.util.random.RandomGenerator;

/**
 * The Gumbel-softmax relaxation of a categorical choice (Jang et al. 2017; Maddison et al. 2017), as
 * PyTorch's {@code F.gumbel_softmax}: the choice over the last axis of {@code logits}.
 *
 * <p>At training time {@link #straightThrough} returns the hard one-hot sample in the forward pass
 * and the soft sample's gradient in the backward pass ({@code y_hard − stopgrad(y_soft) + y_soft}),
 * so the network downstream sees real decisions while the policy still gets gradients. At test time
 * {@link #hard} takes the most likely choice with no noise.
 */
public final class GumbelSoftmax {
    private static final double EPSILON = 1e-10;

    private GumbelSoftmax() {}

    /** Gumbel(0, 1) noise of {@code shape}, −log(−log u), drawn from {@code rng} so that runs are reproducible. */
    public static NDArray noise(NDManager manager, Shape shape, RandomGenerator rng) {
        float[] g = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < g.length; i++) {
            double u = rng.nextDouble();
            g[i] = (float) -Math.log(-Math.log(u + EPSILON) + EPSILON);
        }
        return manager.create(g, shape);
    }

    /** softmax((logits + gumbel) / temperature) over the last axis: the relaxed sample. */
    public static NDArray soft(NDArray logits, NDArray gumbel, float temperature) {
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("the Gumbel-softmax temperature must be > 0, got " + temperature);
        }
        return Scalars.div(logits.add(gumbel), temperature).softmax(-1);
    }

    /** The straight-through sample: one-hot forward, the soft sample's gradient backward. */
    public static NDArray straightThrough(NDArray logits, NDArray gumbel, float temperature) {
        NDArray soft = soft(logits, gumbel, temperature);
        NDArray hard = oneHotOfMax(soft);
        return hard.sub(soft.stopGradient()).add(soft);
    }

    /** The test-time decision: one-hot of the largest logit over the last axis, no noise. */
    public static NDArray hard(NDArray logits) {
        return oneHotOfMax(logits).stopGradient();
    }

    private static NDArray oneHotOfMax(NDArray x) {
        int choices = Math.toIntExact(x.getShape().get(x.getShape().dimension() - 1));
        return x.argMax(-1).oneHot(choices).toType(x.getDataType(), false);
    }
}

package dev.kinema.localization;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.kinema.engine.Scalars;
import java.util.HashMap;
import java.util.Map;

/**
 * SGD with momentum 0.9 (PyTorch's form, {@code v = 0.9 v + g; w -= lr v}) for the small networks of
 * BSN's modules, which train in one process without a run directory (so without the trainer's
 * optimizers, a tier above). Gradients are zeroed after each step, as PyTorch's accumulate.
 */
final class MomentumSgd {
    private static final float MOMENTUM = 0.9f;

    private final NDManager root;
    private final Map<String, NDArray> velocity = new HashMap<>();

    /** @param root where the velocities live (the model's manager) */
    MomentumSgd(NDManager root) {
        this.root = root;
    }

    /** One update of every parameter of {@code block} from its gradient; temporaries go to {@code step}. */
    void step(Block block, double lr, NDManager step) {
        for (Pair<String, Parameter> param : block.getParameters()) {
            NDArray w = param.getValue().getArray();
            NDArray g = w.getGradient();
            g.attach(step);
            NDArray v = velocity.computeIfAbsent(param.getKey(), n -> root.zeros(w.getShape()));
            v.muli(MOMENTUM).addi(g);
            NDArray update = Scalars.mul(v, lr);
            update.attach(step);
            w.subi(update);
            g.subi(g);
        }
    }
}

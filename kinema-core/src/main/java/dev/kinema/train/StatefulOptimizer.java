package dev.kinema.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.util.Pair;
import dev.kinema.engine.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An optimiser whose state (momentum buffers, Adam moments, the update count) can be saved and
 * restored, so a resumed run continues exactly. DJL's own optimisers keep that state private,
 * which is why Kinema has these two. The update rules are PyTorch's {@code torch.optim.SGD} and
 * {@code torch.optim.AdamW}.
 *
 * <p>Weight decay applies to parameters of type {@link Parameter.Type#WEIGHT} only (conv and
 * linear kernels), not to biases or normalisation scales and shifts, the usual practice for
 * training from scratch.
 *
 * <p>State is keyed by the parameter's path in {@link ai.djl.nn.Block#getParameters()} (e.g.
 * {@code 01Conv3d_weight}), which is the same in every JVM for the same architecture.
 */
public abstract class StatefulOptimizer implements AutoCloseable {
    private final String name;
    private final NDManager state;
    private final Map<String, NDArray[]> slots = new LinkedHashMap<>();
    protected final float weightDecay;
    private long steps;

    StatefulOptimizer(String name, NDManager parent, float weightDecay) {
        if (!(weightDecay >= 0) || !Float.isFinite(weightDecay)) {
            throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
        }
        this.name = name;
        this.state = parent.newSubManager();
        this.weightDecay = weightDecay;
    }

    /**
     * SGD with momentum ({@code torch.optim.SGD}, no dampening, no Nesterov):
     * {@code d = g + wd * w; buf = momentum * buf + d} (buf = d at the first update);
     * {@code w -= lr * buf}.
     */
    public static StatefulOptimizer sgd(NDManager parent, float momentum, float weightDecay) {
        return new Sgd(parent, momentum, weightDecay);
    }

    /**
     * AdamW ({@code torch.optim.AdamW}, decoupled weight decay): {@code w *= 1 - lr * wd};
     * {@code m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2};
     * {@code w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.
     */
    public static StatefulOptimizer adamw(NDManager parent, float beta1, float beta2, float epsilon, float weightDecay) {
        return new AdamW(parent, beta1, beta2, epsilon, weightDecay);
    }

    /**
     * {@code sgd} (momentum 0.9) or {@code adamw} (betas 0.9, 0.999, eps 1e-8) by name.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static StatefulOptimizer create(String name, NDManager parent, float weightDecay) {
        return create(name, parent, (float) OptimizerConfig.DEFAULT_MOMENTUM, weightDecay);
    }

    /**
     * The optimiser a run's configuration names: SGD with its momentum, or AdamW with its momentum
     * as β1 (β2 0.999, eps 1e-8), with its weight decay.
     */
    public static StatefulOptimizer create(OptimizerConfig config, NDManager parent) {
        return create(config.name(), parent, (float) config.momentum(), (float) config.weightDecay());
    }

    private static StatefulOptimizer create(String name, NDManager parent, float momentum, float weightDecay) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> sgd(parent, momentum, weightDecay);
            case "adamw" -> adamw(parent, momentum, 0.999f, 1e-8f, weightDecay);
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "'; use sgd or adamw");
        };
    }

    /** {@code sgd} or {@code adamw}. */
    public String name() {
        return name;
    }

    /** Updates made so far (Adam's {@code t}). */
    public long steps() {
        return steps;
    }

    /**
     * Updates every parameter that requires a gradient from the gradient the last backward pass
     * left on it, then zeroes that gradient (PyTorch accumulates gradients otherwise). Call it
     * outside a {@link ai.djl.training.GradientCollector}, so the in-place updates are not recorded.
     *
     * @param scratch a manager for this step's temporaries; the caller closes it
     */
    public void step(ParameterList parameters, float lr, NDManager scratch) {
        step(parameters, lr, scratch, null);
    }

    /**
     * {@link #step(ParameterList, float, NDManager)} with each parameter's learning rate multiplied by
     * {@code lrScale} (layer-wise decay); null scales none.
     */
    public void step(ParameterList parameters, float lr, NDManager scratch, Map<Parameter, Float> lrScale) {
        if (!(lr >= 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        steps++;
        for (Pair<String, Parameter> p : parameters) {
            Parameter parameter = p.getValue();
            if (!parameter.requiresGradient()) {
                continue;
            }
            NDArray weight = parameter.getArray();
            NDArray grad = weight.getGradient();
            grad.attach(scratch);
            boolean decay = weightDecay > 0 && parameter.getType() == Parameter.Type.WEIGHT;
            Float scale = lrScale == null ? null : lrScale.get(parameter);
            update(p.getKey(), weight, grad, decay, scale == null ? lr : lr * scale, steps);
            grad.subi(grad);
        }
    }

    /** One parameter's update, in place. {@code t} counts updates from 1. */
    abstract void update(String key, NDArray weight, NDArray grad, boolean decay, float lr, long t);

    /** How many state arrays each parameter has (1 for SGD's momentum, 2 for Adam's moments). */
    abstract int slotCount();

    /** The state arrays of {@code key}, created as zeros like {@code weight} on first use. */
    NDArray[] slots(String key, NDArray weight) {
        return slots.computeIfAbsent(key, k -> {
            NDArray[] s = new NDArray[slotCount()];
            for (int i = 0; i < s.length; i++) {
                s[i] = state.zeros(weight.getShape(), weight.getDataType());
            }
            return s;
        });
    }

    /** Writes the name, the update count and every state array. */
    public void save(DataOutputStream out) throws IOException {
        out.writeUTF(name);
        out.writeLong(steps);
        out.writeInt(slots.size());
        for (Map.Entry<String, NDArray[]> e : slots.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeInt(e.getValue().length);
            for (NDArray a : e.getValue()) {
                byte[] bytes = a.encode();
                out.writeInt(bytes.length);
                out.write(bytes);
            }
        }
    }

    /**
     * Replaces the state with what {@link #save} wrote.
     *
     * @throws IOException when the stream holds another optimiser's state or is cut short
     */
    public void load(DataInputStream in) throws IOException {
        String saved = in.readUTF();
        if (!saved.equals(name)) {
            throw new IOException("the saved optimizer state is " + saved + "'s, but this optimizer is " + name);
        }
        long savedSteps = in.readLong();
        int count = in.readInt();
        Map<String, NDArray[]> loaded = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String key = in.readUTF();
            int n = in.readInt();
            if (n != slotCount()) {
                throw new IOException("optimizer state of " + key + " has " + n + " arrays, expected " + slotCount());
            }
            NDArray[] arrays = new NDArray[n];
            for (int j = 0; j < n; j++) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                arrays[j] = NDArray.decode(state, bytes);
            }
            loaded.put(key, arrays);
        }
        for (NDArray[] old : slots.values()) {
            for (NDArray a : old) {
                a.close();
            }
        }
        slots.clear();
        slots.putAll(loaded);
        steps = savedSteps;
    }

    @Override
    public void close() {
        state.close();
    }

    private static final class Sgd extends StatefulOptimizer {
        private final float momentum;

        Sgd(NDManager parent, float momentum, float weightDecay) {
            super("sgd", parent, weightDecay);
            if (!(momentum >= 0 && momentum < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
            }
            this.momentum = momentum;
        }

        @Override
        int slotCount() {
            return 1;
        }

        @Override
        void update(String key, NDArray weight, NDArray grad, boolean decay, float lr, long t) {
            NDArray buf = slots(key, weight)[0];
            // At t = 1 torch sets buf = d; buf starts at zero, so momentum * 0 + d is the same.
            buf.muli(momentum).addi(grad);
            if (decay) {
                try (NDArray decayTerm = Scalars.mul(weight, weightDecay)) {
                    buf.addi(decayTerm);
                }
            }
            try (NDArray step = Scalars.mul(buf, lr)) {
                weight.subi(step);
            }
        }
    }

    private static final class AdamW extends StatefulOptimizer {
        private final float beta1;
        private final float beta2;
        private final float epsilon;

        AdamW(NDManager parent, float beta1, float beta2, float epsilon, float weightDecay) {
            super("adamw", parent, weightDecay);
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1 && epsilon > 0)) {
                throw new IllegalArgumentException("need betas in [0, 1) and epsilon > 0, got " + beta1 + ", " + beta2
                        + ", " + epsilon);
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.epsilon = epsilon;
        }

        @Override
        int slotCount() {
            return 2;
        }

        @Override
        void update(String key, NDArray weight, NDArray grad, boolean decay, float lr, long t) {
            if (decay) {
                weight.muli(1 - lr * weightDecay);
            }
            NDArray[] s = slots(key, weight);
            NDArray m = s[0];
            NDArray v = s[1];
            m.muli(beta1).addi(Scalars.mul(grad, 1 - beta1));
            v.muli(beta2).addi(grad.square().muli(1 - beta2));
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            try (NDArray denom = v.sqrt().divi((float) Math.sqrt(c2)).addi(epsilon);
                    NDArray step = m.div(denom).muli((float) (lr / c1))) {
                weight.subi(step);
            }
        }
    }
}

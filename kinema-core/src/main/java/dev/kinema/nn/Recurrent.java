package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * A stacked, unidirectional LSTM or GRU over a sequence, composed from NDArray operations because
 * DJL's recurrent layers have gaps (its bidirectional LSTM is broken). It computes exactly what
 * {@code torch.nn.LSTM} / {@code torch.nn.GRU} compute, with their gate order (LSTM: input, forget,
 * cell, output; GRU: reset, update, new), their equations (the GRU's reset gate scales
 * {@code W_hn h + b_hn}), their zero initial state, their initialisation (uniform in
 * ±1/√hidden) and their parameter names ({@code weight_ih_l0}, {@code weight_hh_l0},
 * {@code bias_ih_l0}, {@code bias_hh_l0}, then {@code _l1}, ...), so a PyTorch {@code state_dict}
 * loads from safetensors as is ({@code tools/golden/recurrent.py} checks outputs and gradients).
 *
 * <p>Input is either N×T×D ({@code batch_first}) or, inside a video model, N×D×T×1×1 (the clip
 * layout with space pooled away); the output is every step's last-layer hidden state in the same
 * layout, N×T×H or N×H×T×1×1. The input projections of all steps run as one matrix product; only
 * the hidden-to-hidden products run step by step.
 *
 * <p>In a layer table its MACs are the products {@code T·(D + H)·G·H} per layer (G = 4 gates for
 * the LSTM, 3 for the GRU), and every step's output counts as seeing the whole clip (the last step
 * does).
 */
public final class Recurrent extends AbstractBlock implements Profiled {
    private static final byte VERSION = 1;

    /** Which cell. */
    public enum Kind {
        LSTM(4), GRU(3);

        private final int gates;

        Kind(int gates) {
            this.gates = gates;
        }

        /** Gate blocks per weight matrix: 4 for the LSTM, 3 for the GRU. */
        public int gates() {
            return gates;
        }
    }

    private final Kind kind;
    private final int hidden;
    private final int layers;
    private final List<Parameter[]> weights = new ArrayList<>();

    private Recurrent(Kind kind, int hidden, int layers) {
        super(VERSION);
        if (hidden < 1 || layers < 1) {
            throw new IllegalArgumentException(kind + " needs hidden >= 1 and layers >= 1, got " + hidden + ", " + layers);
        }
        this.kind = kind;
        this.hidden = hidden;
        this.layers = layers;
        UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(hidden)));
        for (int l = 0; l < layers; l++) {
            Parameter[] p = new Parameter[4];
            String[] names = {"weight_ih_l", "weight_hh_l", "bias_ih_l", "bias_hh_l"};
            for (int i = 0; i < 4; i++) {
                p[i] = addParameter(Parameter.builder().setName(names[i] + l)
                        .setType(i < 2 ? Parameter.Type.WEIGHT : Parameter.Type.BIAS).optInitializer(init).build());
            }
            weights.add(p);
        }
    }

    /** {@code torch.nn.LSTM(D, hidden, num_layers=layers, batch_first=True)}. */
    public static Recurrent lstm(int hidden, int layers) {
        return new Recurrent(Kind.LSTM, hidden, layers);
    }

    /** {@code torch.nn.GRU(D, hidden, num_layers=layers, batch_first=True)}. */
    public static Recurrent gru(int hidden, int layers) {
        return new Recurrent(Kind.GRU, hidden, layers);
    }

    public Kind kind() {
        return kind;
    }

    public int hidden() {
        return hidden;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray in = inputs.singletonOrThrow();
        boolean clipLayout = in.getShape().dimension() == 5;
        NDArray x = clipLayout ? sequence(in) : in;
        for (Parameter[] p : weights) {
            x = layer(x, ParameterValues.of(parameterStore, p[0], in, training),
                    ParameterValues.of(parameterStore, p[1], in, training),
                    ParameterValues.of(parameterStore, p[2], in, training),
                    ParameterValues.of(parameterStore, p[3], in, training));
        }
        return new NDList(clipLayout ? x.swapAxes(1, 2).expandDims(3).expandDims(4) : x);
    }

    /** N×D×T×1×1 to N×T×D. */
    private static NDArray sequence(NDArray clip) {
        Shape s = clip.getShape();
        if (s.get(3) != 1 || s.get(4) != 1) {
            throw new IllegalArgumentException("a recurrent layer takes N×D×T×1×1 (space pooled) or N×T×D, got " + s);
        }
        return clip.reshape(s.get(0), s.get(1), s.get(2)).swapAxes(1, 2);
    }

    private NDArray layer(NDArray x, NDArray wIh, NDArray wHh, NDArray bIh, NDArray bHh) {
        Shape s = x.getShape();
        long n = s.get(0);
        long t = s.get(1);
        NDArray projected = x.reshape(n * t, s.get(2)).matMul(wIh.transpose()).add(bIh).reshape(n, t, -1);
        NDArray wHhT = wHh.transpose();
        NDArray h = x.getManager().zeros(new Shape(n, hidden), x.getDataType());
        NDArray c = kind == Kind.LSTM ? h : null;
        NDList steps = new NDList();
        for (long step = 0; step < t; step++) {
            NDArray gi = projected.get(":, {}, :", step);
            NDArray gh = h.matMul(wHhT).add(bHh);
            if (kind == Kind.LSTM) {
                NDArray[] hc = lstmStep(gi.add(gh), c);
                h = hc[0];
                c = hc[1];
            } else {
                h = gruStep(gi, gh, h);
            }
            steps.add(h);
        }
        return NDArrays.stack(steps, 1);
    }

    /**
     * One GRU step from the input's and the hidden state's gate pre-activations (r, z, n blocks
     * along axis 1): PyTorch's {@code h' = (1 - z) n + z h}, {@code n = tanh(i_n + r (h_n))}.
     * Shared with {@link ConvRecurrentCell}, where the products are convolutions.
     */
    static NDArray gruStep(NDArray gi, NDArray gh, NDArray h) {
        NDList i = gi.split(3, 1);
        NDList g = gh.split(3, 1);
        NDArray r = Activation.sigmoid(i.get(0).add(g.get(0)));
        NDArray z = Activation.sigmoid(i.get(1).add(g.get(1)));
        NDArray candidate = i.get(2).add(r.mul(g.get(2))).tanh();
        return candidate.sub(candidate.mul(z)).add(z.mul(h));
    }

    /**
     * One LSTM step from the summed gate pre-activations (i, f, g, o blocks along axis 1) and the
     * cell state: the new hidden state and cell state. Shared with {@link ConvRecurrentCell}.
     */
    static NDArray[] lstmStep(NDArray gates, NDArray c) {
        NDList g = gates.split(4, 1);
        NDArray next = Activation.sigmoid(g.get(1)).mul(c).add(Activation.sigmoid(g.get(0)).mul(g.get(2).tanh()));
        return new NDArray[] {Activation.sigmoid(g.get(3)).mul(next.tanh()), next};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        long in = inputFeatures(inputShapes[0]);
        long g = (long) kind.gates() * hidden;
        for (Parameter[] p : weights) {
            p[0].setShape(new Shape(g, in));
            p[1].setShape(new Shape(g, hidden));
            p[2].setShape(new Shape(g));
            p[3].setShape(new Shape(g));
            in = hidden;
        }
    }

    private static long inputFeatures(Shape s) {
        return switch (s.dimension()) {
            case 3 -> s.get(2);
            case 5 -> s.get(1);
            default -> throw new IllegalArgumentException("a recurrent layer takes N×T×D or N×D×T×1×1, got " + s);
        };
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {s.dimension() == 5 ? new Shape(s.get(0), hidden, s.get(2), 1, 1)
                : new Shape(s.get(0), s.get(1), hidden)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        long steps = in.elements() / in.channels();
        long g = (long) kind.gates() * hidden;
        long d = in.channels();
        long parameters = 0;
        long macs = 0;
        for (int l = 0; l < layers; l++) {
            parameters += g * (d + hidden) + 2 * g;
            macs += steps * g * (d + hidden);
            d = hidden;
        }
        profiler.count(parameters, macs);
        return seesWholeClip(in.mixChannels()).withChannels(hidden);
    }

    /** The map with every T step's receptive field grown to the whole clip, its size unchanged. */
    static FeatureMap seesWholeClip(FeatureMap in) {
        return seesWholeClip(in, Axis.T);
    }

    /**
     * The map with every unit's receptive field along {@code axis} grown to the whole input, its
     * size unchanged: what a recurrence over T does for its last step, or attention over all
     * positions (a window of 2n - 1 taps, padded, in the receptive-field arithmetic of {@link Dim#slide}).
     */
    static FeatureMap seesWholeClip(FeatureMap in, Axis axis) {
        List<Dim> dims = new ArrayList<>();
        for (Dim d : in.opDims()) {
            dims.add(d.axis() == axis ? d.slide(2 * d.size() - 1, 1, d.size() - 1, 1) : d);
        }
        return in.withOpDims(dims);
    }

    @Override
    public String label(FeatureMap in) {
        return kind + "(" + in.channels() + "->" + hidden + (layers > 1 ? ", " + layers + " layers" : "") + ")";
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks a network over a {@link FeatureMap} instead of data and builds its {@link LayerTable}:
 * per-layer output shape, parameters, multiply-adds and receptive field. Nothing is allocated or
 * run, so it works on blocks that are not initialised and on inputs far too large to run.
 *
 * <p>The one mechanism behind every model's table: blocks that implement {@link Profiled} describe
 * themselves, and DJL's {@link Convolution} (any dimensionality, groups, dilation), {@link Linear},
 * {@link BatchNorm} and {@link Dropout} are described here from their configuration. Any other
 * block is an error naming its class, never a silent zero.
 *
 * <p><b>Counting conventions.</b> Parameters are the trainable ones (BatchNorm's running mean and
 * variance are buffers, as in PyTorch). Costs are multiply-accumulates (MACs) per clip, counted for
 * convolutions ({@code output elements × input channels / groups × kernel volume}) and fully
 * connected layers ({@code inputs × outputs} per position); biases, normalisation, activations,
 * pooling and residual additions are not counted. That is the convention of the lecture's C3D
 * table, torchvision's published GFLOPS and fvcore, which all call a multiply-add one "FLOP".
 */
public final class Profiler {
    private final List<LayerRow> rows = new ArrayList<>();
    private long params;
    private long macs;

    private Profiler() {}

    /** The layer table of {@code block} for one clip of shape C×T×H×W. */
    public static LayerTable profile(Block block, Shape clip) {
        Profiler profiler = new Profiler();
        FeatureMap in = FeatureMap.ofClip(clip);
        FeatureMap out = profiler.rows("", block, in);
        return new LayerTable(in, out, profiler.rows, profiler.params, profiler.macs);
    }

    /** Adds {@code block}'s rows under {@code name}: its own row, or its children's rows if it is a container. */
    public FeatureMap rows(String name, Block block, FeatureMap in) {
        if (block instanceof Profiled p) {
            return p.isRow() ? p.profileRows(name, in, this) : visit(block, in);
        }
        return row(name, block, in);
    }

    /** Adds one row for {@code block}, however many blocks it contains. */
    public FeatureMap row(String name, Block block, FeatureMap in) {
        long p0 = params;
        long m0 = macs;
        String label = label(block, in);
        FeatureMap out;
        try {
            out = visit(block, in);
        } catch (ProfileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ProfileException("layer " + (name.isEmpty() ? "(root)" : name) + " [" + label + "] on "
                    + in.shapeText() + ": " + e.getMessage(), e);
        }
        rows.add(new LayerRow(name.isEmpty() ? label : name, label, out.shape(), params - p0, macs - m0,
                out.receptiveField()));
        return out;
    }

    /** Accounts for {@code block} (and everything inside it) without adding rows. */
    public FeatureMap visit(Block block, FeatureMap in) {
        if (block instanceof Profiled p) {
            return p.profile(in, this);
        }
        if (block instanceof Convolution conv) {
            return convolution(conv, in);
        }
        if (block instanceof Linear linear) {
            return linear(linear, in);
        }
        if (block instanceof BatchNorm) {
            long trainable = block.getDirectParameters().values().stream().filter(Parameter::requiresGradient).count();
            count(trainable * in.channels(), 0);
            return in;
        }
        if (block instanceof Dropout) {
            return in;
        }
        throw new IllegalArgumentException("cannot profile a " + block.getClass().getName()
                + ": implement dev.kinema.nn.Profiled for it");
    }

    /** Adds a leaf's trainable parameters and multiply-adds per clip. */
    public void count(long parameters, long multiplyAdds) {
        params = Math.addExact(params, parameters);
        macs = Math.addExact(macs, multiplyAdds);
    }

    /** What {@code block} does, as printed in a layer table. */
    public static String label(Block block, FeatureMap in) {
        if (block instanceof Profiled p) {
            return p.label(in);
        }
        if (block instanceof Convolution conv) {
            Shape k = conv.getKernelShape();
            String s = "Conv" + k.dimension() + "D(" + dims(k) + ", " + in.channels() + "->" + conv.getFilters();
            if (!allOnes(conv.getStride())) {
                s += ", stride " + compact(conv.getStride());
            }
            if (conv.getGroups() != 1) {
                s += ", groups " + conv.getGroups();
            }
            return s + ")";
        }
        if (block instanceof Linear linear) {
            return "Linear(" + in.channels() + "->" + units(linear) + ")";
        }
        return block.getClass().getSimpleName();
    }

    /** {@code prefix.name}, or {@code name} at the top. */
    public static String childName(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    /** A shape as the lecture writes kernels, e.g. {@code 3x3x3}. */
    public static String dims(Shape s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.dimension(); i++) {
            b.append(i == 0 ? "" : "x").append(s.get(i));
        }
        return b.toString();
    }

    /** {@code 2} for a 2x2 or 2x2x2 shape, else as {@link #dims}. */
    static String compact(Shape s) {
        for (long v : s.getShape()) {
            if (v != s.get(0)) {
                return dims(s);
            }
        }
        return Long.toString(s.get(0));
    }

    static boolean allOnes(Shape s) {
        for (long v : s.getShape()) {
            if (v != 1) {
                return false;
            }
        }
        return true;
    }

    private FeatureMap convolution(Convolution conv, FeatureMap in) {
        long inChannels = in.channels();
        int groups = conv.getGroups();
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(inChannels + " input channels do not split into " + groups + " groups");
        }
        Shape k = conv.getKernelShape();
        FeatureMap out = in.mixChannels().slide(k, conv.getStride(), conv.getPadding(), conv.getDilation())
                .withChannels(conv.getFilters());
        long perOutput = inChannels / groups * k.size();
        long weights = conv.getFilters() * perOutput;
        count(weights + (conv.isIncludeBias() ? conv.getFilters() : 0), Math.multiplyExact(out.elements(), perOutput));
        return out;
    }

    private FeatureMap linear(Linear linear, FeatureMap in) {
        if (!in.opDims().isEmpty()) {
            throw new IllegalArgumentException("a fully connected layer needs flat features (add a Flatten), the map is "
                    + in.shapeText());
        }
        Parameter weight = linear.getDirectParameters().get("weight");
        if (weight.getShape() != null && weight.getShape().get(1) != in.channels()) {
            throw new IllegalArgumentException("it was initialised for " + weight.getShape().get(1)
                    + " input features, this input gives " + in.channels());
        }
        long units = units(linear);
        boolean bias = linear.getDirectParameters().contains("bias");
        FeatureMap out = in.mixChannels().withChannels(units);
        long positions = out.elements() / units;
        count(in.channels() * units + (bias ? units : 0), Math.multiplyExact(positions, in.channels() * units));
        return out;
    }

    private static long units(Linear linear) {
        return linear.getOutputShapes(new Shape[] {new Shape(1, 1)})[0].get(1);
    }

    /** A profiling failure, naming the layer where the input stopped fitting. */
    public static final class ProfileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ProfileException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

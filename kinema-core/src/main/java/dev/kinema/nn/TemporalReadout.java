package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a recurrent model's many outputs become one (many-to-one): the last step's hidden state, or
 * the mean over all steps (LRCN's average over time). N×C×T×H×W to N×C×1×H×W; every unit sees the
 * whole clip. A many-to-many model keeps every step instead and has no readout.
 */
public final class TemporalReadout extends AbstractBlock implements Profiled {
    /** Which steps are read out. */
    public enum Mode {
        /** The last step: the only one whose state has seen every frame. */
        LAST,
        /** The mean over the steps. */
        MEAN;

        /** The name in configs and on the command line: {@code last}, {@code mean}. */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The mode called {@code name}. */
        public static Mode named(String name) {
            for (Mode m : values()) {
                if (m.cliName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown readout '" + name + "'; known readouts: "
                    + String.join(", ", Arrays.stream(values()).map(Mode::cliName).toList()));
        }
    }

    private final Mode mode;

    public TemporalReadout(Mode mode) {
        this.mode = mode;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 5) {
            throw new IllegalArgumentException("a temporal readout takes N×C×T×H×W, got " + x.getShape());
        }
        long t = x.getShape().get(2);
        return new NDList(mode == Mode.LAST ? x.get(":, :, {}:", t - 1) : x.mean(new int[] {2}, true));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long[] s = inputShapes[0].getShape().clone();
        s[2] = 1;
        return new Shape[] {new Shape(s)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        List<Dim> dims = new ArrayList<>();
        for (Dim d : in.opDims()) {
            dims.add(d.axis() == Axis.T ? d.whole() : d);
        }
        return in.withOpDims(dims);
    }

    @Override
    public String label(FeatureMap in) {
        return mode == Mode.LAST ? "LastStep" : "MeanOverTime";
    }
}

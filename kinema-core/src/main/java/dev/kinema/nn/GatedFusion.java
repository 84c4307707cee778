package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Gated mid-level fusion of two pooled feature vectors side by side, N×(A+B) (what {@link
 * ChannelStreams} returns when pooled): the second stream gates the first through a learned sigmoid,
 * {@code [σ(W·b + c) ⊙ a, b]}, so that, say, a thud heard tells the classifier which visual features
 * to trust. This is the gate of a gated multimodal unit (Arevalo et al. 2017) without its tanh
 * projections, and the channel attention of MMAction2's audio-visual fusion; the width is
 * unchanged (A+B), so a classifier over it has as many parameters as over plain concatenation.
 *
 * <p>Parameters: the child {@code gate}, a biased {@link Linear} from B to A ({@code B·A + A}
 * parameters, as many MACs per clip). The multiplication is element-wise and not counted.
 */
public final class GatedFusion extends ai.djl.nn.AbstractBlock implements Profiled {
    private final long gated;
    private final long gating;
    private final Linear gate;

    /**
     * @param gated width A of the first vector, the one that is gated
     * @param gating width B of the second vector, the one the gate is computed from
     */
    public GatedFusion(long gated, long gating) {
        if (gated < 1 || gating < 1) {
            throw new IllegalArgumentException("gated fusion needs two non-empty vectors, got " + gated + " + " + gating);
        }
        this.gated = gated;
        this.gating = gating;
        this.gate = addChildBlock("gate", Linear.builder().setUnits(gated).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        checkWidth(x.getShape());
        NDArray first = x.get(new NDIndex(":, 0:{}", gated));
        NDArray second = x.get(new NDIndex(":, {}:", gated));
        NDArray g = Activation.sigmoid(gate.forward(parameterStore, new NDList(second), training, params).singletonOrThrow());
        return new NDList(first.mul(g).concat(second, 1));
    }

    private void checkWidth(Shape s) {
        if (s.dimension() != 2 || s.get(1) != gated + gating) {
            throw new IllegalArgumentException("gated fusion takes N x " + (gated + gating) + " (" + gated + " gated + "
                    + gating + " gating features), got " + s);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        checkWidth(inputShapes[0]);
        gate.initialize(manager, dataType, new Shape(inputShapes[0].get(0), gating));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != gated + gating) {
            throw new IllegalArgumentException("gated fusion of " + gated + " + " + gating + " features got " + in.shapeText());
        }
        profiler.visit(gate, in.withChannels(gating));
        return in;
    }

    @Override
    public String label(FeatureMap in) {
        return "GatedFusion(" + gating + "->sigmoid gate on " + gated + ")";
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * {@link SqueezeExcitation} whose gate at frame t comes from the channel means over frames 1..t
 * (MoViNet's causal squeeze-excitation): a cumulative average over time instead of the clip's mean,
 * so the layer is causal and streams ({@link StreamingLayer}). Same parameters and names as the
 * non-causal block.
 */
public final class CausalSqueezeExcitation extends SqueezeExcitation implements StreamingLayer {
    private final CumulativeMean mean = new CumulativeMean();

    public CausalSqueezeExcitation(long channels, long reduced) {
        super(channels, reduced);
    }

    @Override
    protected NDArray squeeze(NDArray x) {
        return mean.apply(CumulativeMean.spatialMeans(x)).expandDims(3).expandDims(4);
    }

    @Override
    public void openStream(NDManager state) {
        mean.open(state);
    }

    @Override
    public void closeStream() {
        mean.close();
    }

    @Override
    public String label(FeatureMap in) {
        return "Causal" + super.label(in);
    }
}

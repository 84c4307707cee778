package dev.kinema.nn;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * An audio clip's packed log-mel plane back as an image: N×1×T×H×W becomes N×1×M×(T·H·W/M), mels
 * down and time across (the layout {@code audio.PackedAudio} writes, row by row), so 2D
 * convolutions run over frequency and time. A view of the same memory.
 */
public final class SpectrogramPlane extends ReshapeBlock {
    private final int mels;

    public SpectrogramPlane(int mels) {
        this.mels = mels;
    }

    @Override
    protected Shape reshaped(Shape s) {
        if (s.dimension() != 5 || s.get(1) != 1) {
            throw new IllegalArgumentException("expected an N×1×T×H×W audio plane, got " + s);
        }
        long plane = s.get(2) * s.get(3) * s.get(4);
        if (plane % mels != 0) {
            throw new IllegalArgumentException("a " + s + " plane does not hold whole " + mels + "-mel frames");
        }
        return new Shape(s.get(0), 1, mels, plane / mels);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        long plane = 1;
        for (Dim d : in.opDims()) {
            plane *= d.size();
        }
        // T goes into the plane like a folded axis: the first convolution sees the whole clip's time.
        return in.foldIntoChannels(Axis.T).withChannels(in.channels())
                .withOpDims(List.of(Dim.input(Axis.H, mels), Dim.input(Axis.W, plane / mels)));
    }
}

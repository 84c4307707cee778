package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * The temporal shift of TSM (Lin, Gan and Han, ICCV 2019): a 2D network's per-frame features
 * exchange information with their neighbouring frames at zero cost, by moving some channels one
 * step along time.
 *
 * <p>Input: (N·T)×C×H×W, the frames of N clips of {@code segments} frames each in the batch (as a 2D
 * network run per frame sees them). With {@code fold = C / foldDiv} (8 by default):
 * <ul>
 *   <li>channels {@code [0, fold)} are shifted <b>backward</b> in time: {@code out[t] = x[t + 1]},
 *       so frame t sees the next frame; the last frame gets zeros;
 *   <li>channels {@code [fold, 2 fold)} are shifted <b>forward</b> in time: {@code out[t] = x[t - 1]},
 *       so frame t sees the previous frame; the first frame gets zeros;
 *   <li>the other channels are unchanged.
 * </ul>
 * The channel assignment is the reference implementation's (its "shift left" and "shift right"), so
 * weights trained with it behave the same here. No parameters, no multiply-adds; the temporal
 * receptive field grows by one frame on each side.
 */
public final class TemporalShift extends AbstractBlock implements Profiled {
    /** The reference's fold divisor: 1/8 of the channels each way. */
    public static final int DEFAULT_FOLD_DIV = 8;

    private final int segments;
    private final int foldDiv;

    /** A shift for clips of {@code segments} frames, 1/8 of the channels each way. */
    public TemporalShift(int segments) {
        this(segments, DEFAULT_FOLD_DIV);
    }

    public TemporalShift(int segments, int foldDiv) {
        if (segments < 1 || foldDiv < 2) {
            throw new IllegalArgumentException("segments must be >= 1 and foldDiv >= 2, got " + segments + " and " + foldDiv);
        }
        this.segments = segments;
        this.foldDiv = foldDiv;
    }

    /** Frames per clip. */
    public int segments() {
        return segments;
    }

    public int foldDiv() {
        return foldDiv;
    }

    /** The shift applied to an (N·T)×C×H×W array. */
    public NDArray shift(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(0) % segments != 0) {
            throw new IllegalArgumentException("a temporal shift over " + segments + " segments takes (N*" + segments
                    + ") x C x H x W frames, got " + s);
        }
        long c = s.get(1);
        long fold = c / foldDiv;
        if (fold == 0) {
            return x;
        }
        long n = s.get(0) / segments;
        NDArray clips = x.reshape(n, segments, c, s.get(2), s.get(3));
        NDArray fromNext = clips.get(new NDIndex(":, :, :{}", fold));
        NDArray fromPrevious = clips.get(new NDIndex(":, :, {}:{}", fold, 2 * fold));
        NDArray rest = clips.get(new NDIndex(":, :, {}:", 2 * fold));
        NDArray backward;
        NDArray forward;
        if (segments == 1) {
            backward = fromNext.zerosLike();
            forward = fromPrevious.zerosLike();
        } else {
            NDArray edge = fromNext.get(new NDIndex(":, :1")).zerosLike();
            backward = fromNext.get(new NDIndex(":, 1:")).concat(edge, 1);
            forward = edge.concat(fromPrevious.get(new NDIndex(":, :-1")), 1);
        }
        return NDArrays.concat(new NDList(backward, forward, rest), 2).reshape(s);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(shift(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** Each unit now also sees the frames before and after: a window of 3 along T, costing nothing. */
    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        boolean batched = in.framesInBatch();
        int n = in.withFramesInBatch(false).opDims().size();
        long[] ones = new long[n];
        long[] kernel = new long[n];
        long[] pad = new long[n];
        Arrays.fill(ones, 1);
        Arrays.fill(kernel, 1);
        kernel[0] = 3;
        pad[0] = 1;
        return in.withFramesInBatch(false).slide(new Shape(kernel), new Shape(ones), new Shape(pad), new Shape(ones))
                .withFramesInBatch(batched);
    }

    @Override
    public String label(FeatureMap in) {
        return "TemporalShift(1/" + foldDiv + " each way)";
    }
}

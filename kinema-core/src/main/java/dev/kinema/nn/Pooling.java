package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Max or average pooling over the last two (2D) or three (3D) axes, with explicit kernel, stride and
 * padding so that the profiler knows its geometry (DJL's pooling blocks are opaque lambdas). Floor
 * mode, and average pooling counts padding, as PyTorch's defaults.
 */
public final class Pooling extends AbstractBlock implements Profiled {
    /** Maximum or mean over the window. */
    public enum Kind {
        MAX,
        AVG
    }

    private final Kind kind;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;

    private Pooling(Kind kind, Shape kernel, Shape stride, Shape padding) {
        int n = kernel.dimension();
        if (n < 2 || n > 3 || stride.dimension() != n || padding.dimension() != n) {
            throw new IllegalArgumentException("pooling needs 2 or 3 matching dims, got kernel " + kernel
                    + ", stride " + stride + ", padding " + padding);
        }
        for (int i = 0; i < n; i++) {
            if (kernel.get(i) < 1 || stride.get(i) < 1 || padding.get(i) < 0 || 2 * padding.get(i) > kernel.get(i)) {
                throw new IllegalArgumentException("bad pooling window: kernel " + kernel + ", stride " + stride
                        + ", padding " + padding + " (padding may be at most half the kernel)");
            }
        }
        this.kind = kind;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    /** Max pooling whose stride equals its kernel (non-overlapping windows), no padding. */
    public static Pooling max(Shape kernel) {
        return new Pooling(Kind.MAX, kernel, kernel, zeros(kernel.dimension()));
    }

    public static Pooling max(Shape kernel, Shape stride, Shape padding) {
        return new Pooling(Kind.MAX, kernel, stride, padding);
    }

    /** Average pooling whose stride equals its kernel, no padding. */
    public static Pooling avg(Shape kernel) {
        return new Pooling(Kind.AVG, kernel, kernel, zeros(kernel.dimension()));
    }

    public static Pooling avg(Shape kernel, Shape stride, Shape padding) {
        return new Pooling(Kind.AVG, kernel, stride, padding);
    }

    public Kind kind() {
        return kind;
    }

    public Shape kernel() {
        return kernel;
    }

    public Shape stride() {
        return stride;
    }

    public Shape padding() {
        return padding;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        boolean is3d = kernel.dimension() == 3;
        NDArray y;
        if (kind == Kind.MAX) {
            y = is3d ? Pool.maxPool3d(x, kernel, stride, padding, false) : Pool.maxPool2d(x, kernel, stride, padding, false);
        } else {
            y = is3d ? Pool.avgPool3d(x, kernel, stride, padding, false, true)
                    : Pool.avgPool2d(x, kernel, stride, padding, false, true);
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        int n = kernel.dimension();
        long[] out = in.getShape().clone(); // getShape() returns the backing array
        for (int i = 0; i < n; i++) {
            int axis = out.length - n + i;
            out[axis] = Dim.slidingOutput(out[axis], kernel.get(i), stride.get(i), padding.get(i), 1);
        }
        return new Shape[] {new Shape(out)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return in.slide(kernel, stride, padding, ones(kernel.dimension()));
    }

    @Override
    public String label(FeatureMap in) {
        String s = (kind == Kind.MAX ? "MaxPool" : "AvgPool") + kernel.dimension() + "D(" + Profiler.dims(kernel);
        if (!stride.equals(kernel)) {
            s += ", stride " + Profiler.compact(stride);
        }
        long pad = 0;
        for (long p : padding.getShape()) {
            pad = Math.max(pad, p);
        }
        if (pad > 0) {
            s += ", pad " + Profiler.compact(padding);
        }
        return s + ")";
    }

    private static Shape zeros(int n) {
        return new Shape(new long[n]);
    }

    private static Shape ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return new Shape(a);
    }
}

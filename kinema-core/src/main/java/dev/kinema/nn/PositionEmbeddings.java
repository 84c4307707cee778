package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.NormalInitializer;

/**
 * Position embeddings of token grids: fixed sine-cosine tables (Vaswani et al. 2017, as MAE's
 * {@code get_1d_sincos_pos_embed}) and the resizing of a learned table to another grid, for a clip
 * of another size than the one the model was built (or trained) for.
 *
 * <p>Resizing is linear interpolation along each axis with half-pixel centres, as torch's
 * {@code F.interpolate(mode="linear"/"bilinear"/"trilinear", align_corners=False)}; it is done as
 * one small matrix product per axis, so it is differentiable and needs no interpolation kernel.
 */
public final class PositionEmbeddings {
    private PositionEmbeddings() {}

    /**
     * A learned table of width {@code dim} and {@code rows} token embeddings, 1×rows×D, initialised
     * as timm's (normal, σ 0.02): a position table or a class token. Its type is
     * {@link Parameter.Type#OTHER}, so the optimisers do not decay it (timm's {@code no_weight_decay}).
     */
    public static Parameter learned(String name, long dim, long rows) {
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optShape(new Shape(1, rows, dim))
                .optInitializer(new NormalInitializer(0.02f)).build();
    }

    /**
     * The sine-cosine table for positions 0..length-1 and {@code dim} features (even), as MAE's:
     * the first half sines, the second half cosines, of frequencies {@code 1/10000^(i/(dim/2))}.
     */
    public static NDArray sinCos(NDManager manager, long length, long dim) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("a sine-cosine table needs an even width, got " + dim);
        }
        long half = dim / 2;
        float[] table = new float[Math.toIntExact(length * dim)];
        for (int p = 0; p < length; p++) {
            for (int i = 0; i < half; i++) {
                double omega = 1.0 / Math.pow(10000.0, (double) i / half);
                table[(int) (p * dim + i)] = (float) Math.sin(p * omega);
                table[(int) (p * dim + half + i)] = (float) Math.cos(p * omega);
            }
        }
        return manager.create(table, new Shape(length, dim));
    }

    /**
     * VideoMAE's fixed table over {@code length} positions of a flattened token sequence
     * ({@code get_sinusoid_encoding_table}, as Vaswani et al.): feature {@code j} of position
     * {@code p} is {@code sin} (even j) or {@code cos} (odd j) of {@code p / 10000^(2·⌊j/2⌋/dim)},
     * sines and cosines interleaved (where {@link #sinCos} puts them in halves). Computed in double,
     * stored as float, as the reference does with numpy.
     */
    public static NDArray sinusoid(NDManager manager, long length, long dim) {
        float[] table = new float[Math.toIntExact(length * dim)];
        for (int p = 0; p < length; p++) {
            for (int j = 0; j < dim; j++) {
                double angle = p / Math.pow(10000.0, 2.0 * (j / 2) / dim);
                table[(int) (p * dim + j)] = (float) (j % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return manager.create(table, new Shape(length, dim));
    }

    /**
     * A factorised space-time sine-cosine table for a T×H×W grid, as (T·H·W)×dim in t-major order:
     * the first quarter of the features encode H, the second W (2D sine-cosine, as MAE) and they
     * are summed with a full-width table of T (as the MAE-ST video variants). {@code dim} must be a
     * multiple of 4.
     */
    public static NDArray sinCos3d(NDManager manager, long t, long h, long w, long dim) {
        if (dim % 4 != 0) {
            throw new IllegalArgumentException("a 3D sine-cosine table needs a width divisible by 4, got " + dim);
        }
        NDArray rows = sinCos(manager, h, dim / 2).reshape(1, h, 1, dim / 2).broadcast(1, h, w, dim / 2);
        NDArray cols = sinCos(manager, w, dim / 2).reshape(1, 1, w, dim / 2).broadcast(1, h, w, dim / 2);
        NDArray space = rows.concat(cols, -1);
        NDArray time = sinCos(manager, t, dim).reshape(t, 1, 1, dim);
        return space.add(time).reshape(t * h * w, dim);
    }

    /**
     * A table laid out as a {@code from} grid (any rank, row-major) with features last, e.g. 8×14×14×D,
     * resized to the {@code to} grid of the same rank. Unchanged axes are not touched.
     */
    public static NDArray resize(NDArray table, long[] from, long[] to) {
        if (from.length != to.length) {
            throw new IllegalArgumentException("grids of different rank: " + from.length + " and " + to.length);
        }
        long dim = table.getShape().get(table.getShape().dimension() - 1);
        long[] shape = new long[from.length + 1];
        for (int i = 0; i < from.length; i++) {
            shape[i] = from[i];
        }
        shape[from.length] = dim;
        NDArray x = table.reshape(new Shape(shape));
        for (int axis = 0; axis < from.length; axis++) {
            if (from[axis] == to[axis]) {
                continue;
            }
            NDArray m = table.getManager().create(linearWeights(from[axis], to[axis]),
                    new Shape(to[axis], from[axis]));
            // bring the axis last but one, multiply (to×from)·(from×rest), and put it back
            NDArray moved = x.swapAxes(axis, 0);
            Shape ms = moved.getShape();
            NDArray resized = m.matMul(moved.reshape(from[axis], ms.size() / from[axis]))
                    .reshape(new Shape(to[axis]).addAll(ms.slice(1)));
            x = resized.swapAxes(0, axis);
        }
        return x;
    }

    /** The to×from matrix of linear interpolation with half-pixel centres (align_corners=False). */
    static float[] linearWeights(long from, long to) {
        float[] w = new float[Math.toIntExact(to * from)];
        double scale = (double) from / to;
        for (int o = 0; o < to; o++) {
            double src = Math.max(0.0, (o + 0.5) * scale - 0.5);
            int i0 = (int) Math.floor(src);
            int i1 = Math.min(i0 + 1, (int) from - 1);
            double frac = src - i0;
            w[(int) (o * from + i0)] += (float) (1 - frac);
            w[(int) (o * from + i1)] += (float) frac;
        }
        return w;
    }
}

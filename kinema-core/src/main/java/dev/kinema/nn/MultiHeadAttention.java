package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;

/**
 * Multi-head self-attention as timm's ViT {@code Attention}: one {@code qkv} projection (D to 3D,
 * with or without bias), softmax(q·kᵀ/√d)·v per head, and a {@code proj} (D to D). DJL has no fused
 * attention, so it is made of batched matmuls, and {@link #attend} computes the attention matrix in
 * chunks of queries whenever the whole one would exceed {@link #maxEntries()} entries: the memory a
 * forward pass needs then stays bounded however many tokens there are (the answer is the same).
 *
 * <p>The projection's biases are {@link Biases}: all three (timm's {@code qkv_bias=True}), none, or
 * VideoMAE's and BEiT's query and value biases only ({@code q_bias}, {@code v_bias} beside a
 * bias-free {@code qkv}: keys need none, a constant added to every key cancels in the softmax).
 *
 * <p>The factorised attentions (divided, factorised self-attention and dot-product) use the pieces,
 * {@link #queriesKeysValues} and {@link #project}, and group the tokens themselves.
 */
public final class MultiHeadAttention extends AbstractBlock implements Profiled {
    /** The default bound: 2²⁴ entries, 64 MB of float32 for one chunk's attention matrix. */
    public static final long DEFAULT_MAX_ENTRIES = 1L << 24;

    /** Which of the query, key and value projections have a bias. */
    public enum Biases {
        /** None of them. */
        NONE,
        /** All three, in {@code qkv.bias}. */
        QKV,
        /** Queries and values only, as {@code q_bias} and {@code v_bias} (VideoMAE, BEiT). */
        QUERY_VALUE;

        /** {@link #QKV} or {@link #NONE}. */
        public static Biases of(boolean qkvBias) {
            return qkvBias ? QKV : NONE;
        }
    }

    private final long dim;
    private final int heads;
    private final Biases biases;
    private final long maxEntries;
    private final Linear qkv;
    private final Parameter qBias;
    private final Parameter vBias;
    private final Linear proj;

    public MultiHeadAttention(long dim, int heads, boolean qkvBias) {
        this(dim, heads, Biases.of(qkvBias), DEFAULT_MAX_ENTRIES);
    }

    public MultiHeadAttention(long dim, int heads, boolean qkvBias, long maxEntries) {
        this(dim, heads, Biases.of(qkvBias), maxEntries);
    }

    public MultiHeadAttention(long dim, int heads, Biases biases) {
        this(dim, heads, biases, DEFAULT_MAX_ENTRIES);
    }

    public MultiHeadAttention(long dim, int heads, Biases biases, long maxEntries) {
        if (heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("width " + dim + " does not split into " + heads + " heads");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("the attention bound must be >= 1 entries, got " + maxEntries);
        }
        this.dim = dim;
        this.heads = heads;
        this.biases = biases;
        this.maxEntries = maxEntries;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3 * dim).optBias(biases == Biases.QKV).build());
        this.qBias = biases == Biases.QUERY_VALUE ? addParameter(zeroBias("q_bias", dim)) : null;
        this.vBias = biases == Biases.QUERY_VALUE ? addParameter(zeroBias("v_bias", dim)) : null;
        this.proj = addChildBlock("proj", Linear.builder().setUnits(dim).build());
    }

    private static Parameter zeroBias(String name, long dim) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(new Shape(dim))
                .optInitializer(new ConstantInitializer(0f)).build();
    }

    public long dim() {
        return dim;
    }

    public int heads() {
        return heads;
    }

    /** The most attention-matrix entries computed at once. */
    public long maxEntries() {
        return maxEntries;
    }

    /** Tokens N×L×D to queries, keys and values, each N×heads×L×(D/heads), queries already scaled by 1/√d. */
    public NDArray[] queriesKeysValues(ParameterStore parameterStore, NDArray tokens, boolean training) {
        Shape s = tokens.getShape();
        long n = s.get(0);
        long l = s.get(1);
        NDArray projected = qkv.forward(parameterStore, new NDList(tokens), training).singletonOrThrow();
        if (biases == Biases.QUERY_VALUE) {
            NDArray q = ParameterValues.of(parameterStore, qBias, tokens, training);
            NDArray v = ParameterValues.of(parameterStore, vBias, tokens, training);
            projected = projected.add(q.concat(q.zerosLike()).concat(v));
        }
        NDArray x = projected.reshape(n, l, 3, heads, dim / heads).transpose(2, 0, 3, 1, 4);
        float scale = (float) (1.0 / Math.sqrt((double) dim / heads));
        return new NDArray[] {Scalars.mul(x.get(0), scale), x.get(1), x.get(2)};
    }

    /** Heads N×heads×L×(D/heads) back to N×L×D, through {@code proj}. */
    public NDArray project(ParameterStore parameterStore, NDArray perHead, boolean training) {
        Shape s = perHead.getShape();
        NDArray merged = perHead.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), dim);
        return proj.forward(parameterStore, new NDList(merged), training).singletonOrThrow();
    }

    /**
     * softmax(q·kᵀ)·v for queries B×Lq×d (already scaled) and keys and values B×Lk×d (any leading
     * axes: they are batch), in chunks of queries so that no chunk's attention matrix exceeds
     * {@code maxEntries} entries.
     */
    public static NDArray attend(NDArray q, NDArray k, NDArray v, long maxEntries) {
        Shape s = q.getShape();
        int queryAxis = s.dimension() - 2;
        long lq = s.get(queryAxis);
        long perQuery = s.size() / s.get(s.dimension() - 1) / lq * k.getShape().get(k.getShape().dimension() - 2);
        long chunk = Math.max(1, Math.min(lq, maxEntries / Math.max(1, perQuery)));
        NDArray kt = k.swapAxes(-1, -2);
        if (chunk >= lq) {
            return q.matMul(kt).softmax(-1).matMul(v);
        }
        NDList parts = new NDList();
        for (long start = 0; start < lq; start += chunk) {
            long end = Math.min(lq, start + chunk);
            NDArray qc = q.get(sliceOf(s.dimension(), queryAxis, start, end));
            parts.add(qc.matMul(kt).softmax(-1).matMul(v));
        }
        return NDArrays.concat(parts, queryAxis);
    }

    private static String sliceOf(int rank, int axis, long start, long end) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rank; i++) {
            b.append(i == 0 ? "" : ",").append(i == axis ? start + ":" + end : ":");
        }
        return b.toString();
    }

    /** This block's bound applied to {@link #attend}. */
    public NDArray attendBounded(NDArray q, NDArray k, NDArray v) {
        return attend(q, k, v, maxEntries);
    }

    /** Joint attention over all L tokens of N×L×D. */
    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray[] qkvs = queriesKeysValues(parameterStore, inputs.singletonOrThrow(), training);
        return new NDList(project(parameterStore, attendBounded(qkvs[0], qkvs[1], qkvs[2]), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        proj.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Trainable parameters: qkv (with its biases) and proj. */
    public long parameters() {
        long bias = switch (biases) {
            case NONE -> 0;
            case QKV -> 3 * dim;
            case QUERY_VALUE -> 2 * dim;
        };
        return dim * 3 * dim + bias + dim * dim + dim;
    }

    /** MACs of the two projections for {@code tokens} tokens. */
    public long projectionMacs(long tokens) {
        return Math.multiplyExact(tokens, 4 * dim * dim);
    }

    /**
     * MACs of q·kᵀ and of the weights times v over all heads, when {@code queries} queries each
     * attend to {@code keys} keys: {@code 2 · queries · keys · D}.
     */
    public long attentionMacs(long queries, long keys) {
        return Math.multiplyExact(Math.multiplyExact(2 * queries, keys), dim);
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        long tokens = in.elements() / in.channels();
        profiler.count(parameters(), Math.addExact(projectionMacs(tokens), attentionMacs(tokens, tokens)));
        return in.attendOver(Axis.values());
    }

    @Override
    public String label(FeatureMap in) {
        return "Attention(" + dim + ", " + heads + " heads)";
    }
}

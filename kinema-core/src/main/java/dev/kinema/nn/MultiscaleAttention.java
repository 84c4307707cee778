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
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;

/**
 * MViT's pooling attention (Fan et al. 2021; Li et al. 2022 for v2), as torchvision's
 * {@code MultiscaleAttention}: {@code qkv} (D<sub>in</sub> to 3·D<sub>out</sub>), queries, keys and
 * values pooled per head on the token grid ({@code pool_q}, {@code pool_k}, {@code pool_v}:
 * {@link TokenGridPool#depthwise}), softmax(q·kᵀ/√d + rel)·v, and {@code project.0}. Pooling the
 * keys and values is what makes the attention affordable: at MViT-B's first stage 25,088 queries
 * attend to 392 keys. Pooling the queries shrinks the grid.
 *
 * <p>MViTv2's options: decomposed relative positions ({@code rel_pos_h}, {@code rel_pos_w},
 * {@code rel_pos_t}, one table per axis of width d; "rel" adds q·R<sub>h</sub>, q·R<sub>w</sub> and
 * q·R<sub>t</sub> for the query's and key's offsets on each axis, the class token excepted) and the
 * residual pooling connection (the pooled queries added to the output, the class token excepted).
 *
 * <p>DJL has no einsum or fused attention: the relative terms are made of batched matmuls and are
 * appended to the queries, with the keys extended by one-hot columns of their positions, so
 * q'·k'ᵀ = q·kᵀ/√d + rel and {@link MultiHeadAttention#attend} computes it in bounded query chunks.
 */
public final class MultiscaleAttention extends AbstractBlock {
    private final long inDim;
    private final long outDim;
    private final int heads;
    private final long headDim;
    private final boolean residualPool;
    private final long maxEntries;
    private final Linear qkv;
    private final NamedSequential project;
    private final TokenGridPool poolQ;
    private final TokenGridPool poolK;
    private final TokenGridPool poolV;
    private final Parameter relPosH;
    private final Parameter relPosW;
    private final Parameter relPosT;
    private long initBatch;
    private long[] initGrid;

    /**
     * Pooling attention from width {@code inDim} to {@code outDim} with {@code heads} heads; a pool
     * exists where its kernel or stride is more than 1×1×1, as torchvision decides.
     *
     * @param relPosGrid the grid of the tokens this block takes at the configured clip, from which
     *     the relative-position tables are sized as torchvision sizes them; {@code null} for none
     */
    public MultiscaleAttention(long inDim, long outDim, int heads, Shape kernelQ, Shape strideQ, Shape kernelKv,
            Shape strideKv, boolean residualPool, long[] relPosGrid) {
        if (heads < 1 || outDim % heads != 0) {
            throw new IllegalArgumentException("width " + outDim + " does not split into " + heads + " heads");
        }
        this.inDim = inDim;
        this.outDim = outDim;
        this.heads = heads;
        this.headDim = outDim / heads;
        this.residualPool = residualPool;
        this.maxEntries = MultiHeadAttention.DEFAULT_MAX_ENTRIES;
        this.qkv = addChildBlock("qkv", Linear.builder().setUnits(3 * outDim).build());
        this.project = addChildBlock("project", NamedSequential.layers().add("0", Linear.builder().setUnits(outDim).build()));
        boolean q = kernelQ.size() > 1 || strideQ.size() > 1;
        boolean kv = kernelKv.size() > 1 || strideKv.size() > 1;
        this.poolQ = q ? addChildBlock("pool_q", TokenGridPool.depthwise(headDim, kernelQ, strideQ)) : null;
        this.poolK = kv ? addChildBlock("pool_k", TokenGridPool.depthwise(headDim, kernelKv, strideKv)) : null;
        this.poolV = kv ? addChildBlock("pool_v", TokenGridPool.depthwise(headDim, kernelKv, strideKv)) : null;
        if (relPosGrid != null) {
            long size = Math.max(relPosGrid[1], relPosGrid[2]);
            long spatial = 2 * Math.max(size / strideQ.get(1), size / strideKv.get(1)) - 1;
            long temporal = 2 * relPosGrid[0] - 1;
            if (spatial < 1 || temporal < 1) {
                throw new IllegalArgumentException("a token grid of " + relPosGrid[0] + "x" + relPosGrid[1] + "x"
                        + relPosGrid[2] + " is too small for query stride " + strideQ + " and key stride " + strideKv);
            }
            this.relPosH = addParameter(table("rel_pos_h", spatial));
            this.relPosW = addParameter(table("rel_pos_w", spatial));
            this.relPosT = addParameter(table("rel_pos_t", temporal));
        } else {
            this.relPosH = null;
            this.relPosW = null;
            this.relPosT = null;
        }
    }

    private Parameter table(String name, long rows) {
        // torchvision: trunc_normal_(std=0.02); not weight-decayed, as position tables are not
        return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optShape(new Shape(rows, headDim))
                .optInitializer(new NormalInitializer(0.02f)).build();
    }

    public long outDim() {
        return outDim;
    }

    /** The grid of the queries (and so of the output) for input tokens on {@code thw}. */
    public long[] outputGrid(long[] thw) {
        return poolQ == null ? thw : poolQ.pooledGrid(thw);
    }

    /** The map of the queries (and so of the output) for an input map: pooled as they are. */
    public FeatureMap poolQueries(FeatureMap in) {
        return poolQ == null ? in : poolQ.slide(in);
    }

    /** The grid of the keys for input tokens on {@code thw}. */
    public long[] keyGrid(long[] thw) {
        return poolK == null ? thw : poolK.pooledGrid(thw);
    }

    /** Attention's output tokens B×(1+L')×D<sub>out</sub> and their grid. */
    public record Attended(NDArray tokens, long[] thw) {}

    /** Attends over normalised tokens B×(1+L)×D<sub>in</sub>, the class token first, the rest on the grid {@code thw}. */
    public Attended attend(ParameterStore ps, NDArray tokens, long[] thw, boolean training) {
        Shape s = tokens.getShape();
        long b = s.get(0), n = s.get(1);
        NDArray x = qkv.forward(ps, new NDList(tokens), training).singletonOrThrow()
                .reshape(b, n, 3, heads, headDim).transpose(2, 0, 3, 1, 4);
        NDArray q = x.get(0);
        NDArray k = x.get(1);
        NDArray v = x.get(2);
        long[] keyThw = thw;
        if (poolK != null) {
            TokenGridPool.Pooled pk = poolK.apply(ps, k, thw, training);
            k = pk.tokens();
            keyThw = pk.thw();
            v = poolV.apply(ps, v, thw, training).tokens();
        }
        long[] queryThw = thw;
        if (poolQ != null) {
            TokenGridPool.Pooled pq = poolQ.apply(ps, q, thw, training);
            q = pq.tokens();
            queryThw = pq.thw();
        }
        NDArray scaled = Scalars.mul(q, 1.0 / Math.sqrt(headDim));
        if (relPosH != null) {
            scaled = scaled.concat(relativeTerms(ps, q, queryThw, keyThw, training), -1);
            k = k.concat(keyPositions(k.getManager(), keyThw).broadcast(b, heads, k.getShape().get(2), axesSum(keyThw)), -1);
        }
        NDArray out = MultiHeadAttention.attend(scaled, k, v, maxEntries);
        if (residualPool) {
            // torchvision's residual_with_cls_embed=False: the class token's row gets no shortcut
            out = out.get(":, :, 0:1, :").concat(out.get(":, :, 1:, :").add(q.get(":, :, 1:, :")), 2);
        }
        NDArray merged = out.transpose(0, 2, 1, 3).reshape(b, -1, outDim);
        return new Attended(project.forward(ps, new NDList(merged), training).singletonOrThrow(), queryThw);
    }

    private static long axesSum(long[] thw) {
        return thw[0] + thw[1] + thw[2];
    }

    /**
     * The relative terms of every query, B×heads×(1+Lq)×(kt+kh+kw): for each axis, q·R[offset] for
     * every key coordinate along it (torchvision's {@code rel_h_q}, {@code rel_w_q}, {@code rel_q_t});
     * zeros for the class token's query.
     */
    private NDArray relativeTerms(ParameterStore ps, NDArray q, long[] qThw, long[] kThw, boolean training) {
        Shape s = q.getShape();
        long b = s.get(0);
        long qt = qThw[0], qh = qThw[1], qw = qThw[2];
        NDArray rt = offsets(ps, relPosT, qt, kThw[0], q, training);
        NDArray rh = offsets(ps, relPosH, qh, kThw[1], q, training);
        NDArray rw = offsets(ps, relPosW, qw, kThw[2], q, training);
        NDArray rq = q.get(":, :, 1:, :").reshape(b, heads, qt, qh, qw, headDim);
        // along each axis a: (a, rest, d)·(a, d, k_a), then back to B×heads×qt×qh×qw×k_a
        NDArray relT = rq.transpose(2, 0, 1, 3, 4, 5).reshape(qt, -1, headDim).matMul(rt.transpose(0, 2, 1))
                .reshape(qt, b, heads, qh, qw, kThw[0]).transpose(1, 2, 0, 3, 4, 5);
        NDArray relH = rq.transpose(3, 0, 1, 2, 4, 5).reshape(qh, -1, headDim).matMul(rh.transpose(0, 2, 1))
                .reshape(qh, b, heads, qt, qw, kThw[1]).transpose(1, 2, 3, 0, 4, 5);
        NDArray relW = rq.transpose(4, 0, 1, 2, 3, 5).reshape(qw, -1, headDim).matMul(rw.transpose(0, 2, 1))
                .reshape(qw, b, heads, qt, qh, kThw[2]).transpose(1, 2, 3, 4, 0, 5);
        NDArray rel = NDArrays.concat(new NDList(relT, relH, relW), -1).reshape(b, heads, qt * qh * qw, axesSum(kThw));
        return q.getManager().zeros(new Shape(b, heads, 1, axesSum(kThw)), q.getDataType()).concat(rel, 2);
    }

    /**
     * The table's rows for every (query, key) coordinate pair of one axis, q×k×d, by torchvision's
     * offsets (scaled when the query and key grids differ); the table is first resized to
     * 2·max(q, k)-1 rows if it has another length (a clip of another size than configured).
     */
    private NDArray offsets(ParameterStore ps, Parameter table, long queries, long keys, NDArray like, boolean training) {
        NDArray t = ParameterValues.of(ps, table, like, training);
        long rows = t.getShape().get(0);
        long wanted = 2 * Math.max(queries, keys) - 1;
        if (rows != wanted) {
            t = PositionEmbeddings.resize(t, new long[] {rows}, new long[] {wanted});
        }
        float qRatio = (float) Math.max((double) keys / queries, 1.0);
        float kRatio = (float) Math.max((double) queries / keys, 1.0);
        float[] gather = new float[Math.toIntExact(queries * keys * wanted)];
        for (int i = 0; i < queries; i++) {
            for (int j = 0; j < keys; j++) {
                // float32 arithmetic truncated to an index, as torch computes dist_h/dist_w/dist_t
                long offset = (long) (i * qRatio - (j + (1.0f - keys)) * kRatio);
                gather[Math.toIntExact((i * keys + j) * wanted + offset)] = 1f;
            }
        }
        NDArray oneHot = like.getManager().create(gather, new Shape(queries * keys, wanted)).toType(t.getDataType(), false);
        return oneHot.matMul(t).reshape(queries, keys, headDim);
    }

    /** One-hot columns of each key's t, h and w coordinates, 1×1×(1+Lk)×(kt+kh+kw); zeros for the class token. */
    private static NDArray keyPositions(NDManager manager, long[] kThw) {
        long width = axesSum(kThw);
        long keys = kThw[0] * kThw[1] * kThw[2];
        float[] v = new float[Math.toIntExact((1 + keys) * width)];
        int row = 1;
        for (int t = 0; t < kThw[0]; t++) {
            for (int h = 0; h < kThw[1]; h++) {
                for (int w = 0; w < kThw[2]; w++, row++) {
                    v[Math.toIntExact(row * width + t)] = 1f;
                    v[Math.toIntExact(row * width + kThw[0] + h)] = 1f;
                    v[Math.toIntExact(row * width + kThw[0] + kThw[1] + w)] = 1f;
                }
            }
        }
        return manager.create(v, new Shape(1, 1, 1 + keys, width));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        throw new UnsupportedOperationException("pooling attention needs its grid: call attend(ps, tokens, thw, training)");
    }

    /** Initialises for a batch of {@code batch} clips whose tokens lie on {@code thw}. */
    public void initialize(NDManager manager, DataType dataType, long batch, long[] thw) {
        initBatch = batch;
        initGrid = thw.clone();
        // through Block.initialize, so the block records its input shape (saveParameters writes it)
        initialize(manager, dataType, new Shape(batch, 1 + thw[0] * thw[1] * thw[2], inDim));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (initGrid == null) {
            throw new IllegalStateException("pooling attention needs its grid: initialise it with initialize(..., batch, thw)");
        }
        qkv.initialize(manager, dataType, new Shape(1, 1, inDim));
        project.initialize(manager, dataType, new Shape(1, 1, outDim));
        for (TokenGridPool p : new TokenGridPool[] {poolQ, poolK, poolV}) {
            if (p != null) {
                p.initialize(manager, dataType, initBatch * heads, initGrid);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    /** Trainable parameters. */
    public long parameters() {
        long n = inDim * 3 * outDim + 3 * outDim + outDim * outDim + outDim;
        for (TokenGridPool p : new TokenGridPool[] {poolQ, poolK, poolV}) {
            n += p == null ? 0 : p.parameters();
        }
        for (Parameter p : new Parameter[] {relPosH, relPosW, relPosT}) {
            n += p == null ? 0 : p.getShape().size();
        }
        return n;
    }

    /**
     * MACs for one clip whose tokens lie on {@code thw}: the projections, the pooling convolutions,
     * the relative terms, and the attention products over (1+Lq)×(1+Lk) entries per head.
     */
    public long macs(long[] thw) {
        long[] qThw = outputGrid(thw);
        long[] kThw = keyGrid(thw);
        long in = 1 + thw[0] * thw[1] * thw[2];
        long lq = qThw[0] * qThw[1] * qThw[2];
        long lk = kThw[0] * kThw[1] * kThw[2];
        long macs = Math.multiplyExact(in, inDim * 3 * outDim) + Math.multiplyExact(1 + lq, outDim * outDim);
        macs += (poolQ == null ? 0 : poolQ.macs(heads, lq)) + (poolK == null ? 0 : 2 * poolK.macs(heads, lk));
        if (relPosH != null) {
            macs += Math.multiplyExact(lq * outDim, axesSum(kThw));
        }
        return macs + Math.multiplyExact(2 * (1 + lq) * (1 + lk), outDim);
    }

    /** Attention-matrix entries for one clip on {@code thw}, all heads. */
    public long entries(long[] thw) {
        long[] qThw = outputGrid(thw);
        long[] kThw = keyGrid(thw);
        return heads * (1 + qThw[0] * qThw[1] * qThw[2]) * (1 + kThw[0] * kThw[1] * kThw[2]);
    }
}

package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-norm transformer block over a clip's tokens, with its self-attention covering them as
 * {@link SpaceTimeAttention} says: {@code x + attention(norm(x))}, then {@code x + mlp(norm2(x))},
 * each residual branch through {@link DropPath}.
 *
 * <p>Tokens come as N×T×H×W×D (the grid kept, as {@link PatchEmbedding} gives them) and, for models
 * with a class token, a second array N×1×D; the block returns the same. Parameter names are timm's
 * ViT block's ({@code norm1}, {@code attn.qkv}, {@code attn.proj}, {@code norm2}, {@code mlp.fc1},
 * {@code mlp.fc2}) and TimeSformer's for the temporal part ({@code temporal_norm1},
 * {@code temporal_attn}, {@code temporal_fc}), so those checkpoints load by name.
 *
 * <p>Where a factorised attention groups tokens by frame, the class token joins every frame's group
 * (its results averaged over frames, as TimeSformer does); it takes no part in temporal groups, and
 * in factorised dot-product attention its query attends to every token with all heads. With
 * {@link SpaceTimeAttention#SPACE} frames stay apart: the class tokens come one per frame, N×T×D,
 * as TimeSformer's space-only model keeps them until it averages frames at its end.
 */
public final class SpaceTimeBlock extends AbstractBlock implements Profiled {
    private final SpaceTimeAttention attention;
    private final long dim;
    private final long hidden;
    private final boolean classToken;
    private final FeatureLayerNorm norm1;
    private final MultiHeadAttention attn;
    private final FeatureLayerNorm temporalNorm;
    private final MultiHeadAttention temporalAttn;
    private final Linear temporalFc;
    private final FeatureLayerNorm norm2;
    private final Mlp mlp;
    private final DropPath dropPath;

    /**
     * A block of width {@code dim} with {@code heads} heads, an MLP of {@code hidden} units, qkv
     * biases or not, and a drop-path rate; {@code classToken} says whether tokens come with one.
     */
    public SpaceTimeBlock(SpaceTimeAttention attention, long dim, int heads, long hidden, boolean qkvBias,
            boolean classToken, float dropPath) {
        this(attention, dim, heads, hidden, MultiHeadAttention.Biases.of(qkvBias), classToken, dropPath);
    }

    /** A block whose attention projections have {@code biases} (VideoMAE's: queries and values only). */
    public SpaceTimeBlock(SpaceTimeAttention attention, long dim, int heads, long hidden,
            MultiHeadAttention.Biases biases, boolean classToken, float dropPath) {
        if (attention == SpaceTimeAttention.FACTORISED_DOT_PRODUCT && heads % 2 != 0) {
            throw new IllegalArgumentException("factorised dot-product attention splits heads in two, got " + heads);
        }
        this.attention = attention;
        this.dim = dim;
        this.hidden = hidden;
        this.classToken = classToken;
        this.norm1 = addChildBlock("norm1", FeatureLayerNorm.vit(dim));
        this.attn = addChildBlock("attn", new MultiHeadAttention(dim, heads, biases));
        boolean temporal = attention == SpaceTimeAttention.DIVIDED
                || attention == SpaceTimeAttention.FACTORISED_SELF_ATTENTION;
        this.temporalNorm = temporal ? addChildBlock("temporal_norm1", FeatureLayerNorm.vit(dim)) : null;
        this.temporalAttn = temporal ? addChildBlock("temporal_attn", new MultiHeadAttention(dim, heads, biases)) : null;
        this.temporalFc = attention == SpaceTimeAttention.DIVIDED
                ? addChildBlock("temporal_fc", Linear.builder().setUnits(dim).build()) : null;
        this.norm2 = addChildBlock("norm2", FeatureLayerNorm.vit(dim));
        this.mlp = addChildBlock("mlp", new Mlp(dim, hidden));
        this.dropPath = new DropPath(dropPath);
    }

    public SpaceTimeAttention attention() {
        return attention;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray cls = classToken ? inputs.get(1) : null;
        Shape g = x.getShape();
        switch (attention) {
            case JOINT -> {
                NDArray all = joinClass(flat(x), cls);
                NDArray out = all.add(dropPath.apply(attn.forward(ps, new NDList(norm1.apply(ps, all, training)), training)
                        .singletonOrThrow(), training));
                x = patches(out, g, classToken ? 1 : 0);
                cls = classOf(out, 1);
            }
            case DIVIDED -> {
                // temporal_fc on the tube-major tokens N×(H·W·T)×D, TimeSformer's own layout, before the
                // transpose back: applied to the transposed array, a model reloaded from its saved
                // parameters predicted 1e-6 differently (float rounding); on this contiguous one it is exact
                Shape g0 = x.getShape();
                NDArray tubes = temporalTubes(ps, x, training).reshape(g0.get(0), -1, dim);
                NDArray res = temporalFc.forward(ps, new NDList(dropPath.apply(tubes, training)), training)
                        .singletonOrThrow();
                x = x.add(res.reshape(g0.get(0), g0.get(2), g0.get(3), g0.get(1), dim).transpose(0, 3, 1, 2, 4));
                NDArray[] spatial = spatial(ps, x, cls, training);
                x = x.add(spatial[0]);
                cls = cls == null ? null : cls.add(spatial[1]);
            }
            case FACTORISED_SELF_ATTENTION, SPACE -> {
                NDArray[] spatial = spatial(ps, x, cls, training);
                x = x.add(spatial[0]);
                cls = cls == null ? null : cls.add(spatial[1]);
                if (attention == SpaceTimeAttention.FACTORISED_SELF_ATTENTION) {
                    x = x.add(dropPath.apply(temporal(ps, x, training), training));
                }
            }
            case FACTORISED_DOT_PRODUCT -> {
                NDArray all = joinClass(flat(x), cls);
                NDArray out = all.add(dropPath.apply(dotProductFactorised(ps, norm1.apply(ps, all, training), g, training),
                        training));
                x = patches(out, g, classToken ? 1 : 0);
                cls = classOf(out, 1);
            }
        }
        long classes = cls == null ? 0 : cls.getShape().get(1);
        NDArray all = joinClass(flat(x), cls);
        NDArray out = all.add(dropPath.apply(mlp.forward(ps, new NDList(norm2.apply(ps, all, training)), training)
                .singletonOrThrow(), training));
        return classToken ? new NDList(patches(out, g, classes), classOf(out, classes)) : new NDList(patches(out, g, 0));
    }

    /** N×T×H×W×D to N×(T·H·W)×D. */
    private static NDArray flat(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1) * s.get(2) * s.get(3), s.get(4));
    }

    private NDArray joinClass(NDArray flat, NDArray cls) {
        return cls == null ? flat : cls.concat(flat, 1);
    }

    /** The patch tokens of N×(c+L)×D back on the grid {@code g}, after {@code classes} class tokens. */
    private static NDArray patches(NDArray all, Shape g, long classes) {
        NDArray p = classes > 0 ? all.get(":, " + classes + ":, :") : all;
        return p.reshape(g);
    }

    private NDArray classOf(NDArray all, long classes) {
        return classToken ? all.get(":, 0:" + classes + ", :") : null;
    }

    /** Temporal attention's branch: the T tokens of each position attend to each other. N×T×H×W×D. */
    private NDArray temporal(ParameterStore ps, NDArray x, boolean training) {
        Shape g = x.getShape();
        return temporalTubes(ps, x, training).reshape(g.get(0), g.get(2), g.get(3), g.get(1), dim).transpose(0, 3, 1, 2, 4);
    }

    /** Temporal attention's output per tube, (N·H·W)×T×D. */
    private NDArray temporalTubes(ParameterStore ps, NDArray x, boolean training) {
        Shape g = x.getShape();
        long n = g.get(0), t = g.get(1), h = g.get(2), w = g.get(3);
        NDArray tubes = x.transpose(0, 2, 3, 1, 4).reshape(n * h * w, t, dim);
        return temporalAttn.forward(ps, new NDList(temporalNorm.apply(ps, tubes, training)), training).singletonOrThrow();
    }

    /**
     * Spatial attention's branch (through drop-path): the S tokens of each frame, with the class
     * token, attend to each other; returns the patches' N×T×H×W×D and the class token's N×1×D,
     * averaged over frames.
     */
    private NDArray[] spatial(ParameterStore ps, NDArray x, NDArray cls, boolean training) {
        Shape g = x.getShape();
        long n = g.get(0), t = g.get(1), s = g.get(2) * g.get(3);
        NDArray frames = x.reshape(n * t, s, dim);
        boolean perFrame = attention == SpaceTimeAttention.SPACE;
        if (cls != null) {
            NDArray frameClass = perFrame ? cls : cls.repeat(1, t);
            frames = frameClass.reshape(n * t, 1, dim).concat(frames, 1);
        }
        NDArray out = dropPath.apply(attn.forward(ps, new NDList(norm1.apply(ps, frames, training)), training)
                .singletonOrThrow().reshape(n, t, (cls == null ? 0 : 1) + s, dim), training);
        if (cls == null) {
            return new NDArray[] {out.reshape(g), null};
        }
        NDArray classOut = out.get(":, :, 0, :");
        return new NDArray[] {out.get(":, :, 1:, :").reshape(g), perFrame ? classOut : classOut.mean(new int[] {1}, true)};
    }

    /** Factorised dot-product attention of normalised tokens N×(c+L)×D on grid {@code g}: the attention branch. */
    private NDArray dotProductFactorised(ParameterStore ps, NDArray tokens, Shape g, boolean training) {
        NDArray[] qkv = attn.queriesKeysValues(ps, tokens, training);
        long n = g.get(0), t = g.get(1), s = g.get(2) * g.get(3);
        int heads = attn.heads();
        int half = heads / 2;
        long hd = dim / heads;
        long c = classToken ? 1 : 0;
        NDArray[] patch = new NDArray[3];
        NDArray[] clsPart = new NDArray[3];
        for (int i = 0; i < 3; i++) {
            patch[i] = qkv[i].get(":, :, " + c + ":, :").reshape(n, heads, t, s, hd);
            clsPart[i] = classToken ? qkv[i].get(":, :, 0:1, :") : null;
        }
        // spatial heads: groups are frames, N·half·T groups of S tokens (and the class token's key)
        NDArray spatial = groupAttend(patch, clsPart, 0, half, n * half * t, s, t, false);
        // temporal heads: groups are positions, N·half·S groups of T tokens
        NDArray temporal = groupAttend(patch, clsPart, half, heads, n * half * s, t, s, true);
        NDArray out = spatial.reshape(n, half, t * s, hd).concat(temporal.reshape(n, half, s, t, hd)
                .transpose(0, 1, 3, 2, 4).reshape(n, half, t * s, hd), 1);
        if (classToken) {
            NDArray clsOut = attn.attendBounded(clsPart[0], qkv[1], qkv[2]);
            out = clsOut.concat(out, 2);
        }
        return attn.project(ps, out, training);
    }

    /**
     * Heads {@code from}..{@code to} of the patch queries, keys and values (N×heads×T×S×d) grouped
     * into {@code groups} groups of {@code size} tokens (by frame, or by position when
     * {@code byPosition}), each group's keys led by the class token's key when there is one.
     */
    private NDArray groupAttend(NDArray[] patch, NDArray[] cls, int from, int to, long groups, long size, long count,
            boolean byPosition) {
        NDArray[] grouped = new NDArray[3];
        for (int i = 0; i < 3; i++) {
            NDArray p = patch[i].get(":, " + from + ":" + to + ", :, :, :");
            if (byPosition) {
                p = p.transpose(0, 1, 3, 2, 4);
            }
            grouped[i] = p.reshape(groups, size, dim / attn.heads());
            if (i > 0 && cls[i] != null) {
                NDArray key = cls[i].get(":, " + from + ":" + to + ", :, :").repeat(2, count)
                        .reshape(groups, 1, dim / attn.heads());
                grouped[i] = key.concat(grouped[i], 1);
            }
        }
        return attn.attendBounded(grouped[0], grouped[1], grouped[2]);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape tokens = new Shape(1, 1, dim);
        for (ai.djl.nn.Block child : getChildren().values()) {
            child.initialize(manager, dataType, tokens);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != dim) {
            throw new IllegalArgumentException("a block of width " + dim + " got " + in.shapeText());
        }
        long[] shape = in.shape();
        long t = shape[1];
        long s = shape[2] * shape[3];
        long l = t * s;
        long c = classToken ? 1 : 0;
        long params = 2 * 2 * dim + attn.parameters() + dim * hidden + hidden + hidden * dim + dim;
        long classTokens = attention == SpaceTimeAttention.SPACE ? t * c : c;
        long macs = Math.multiplyExact(l + classTokens, 2 * dim * hidden);
        switch (attention) {
            case JOINT, FACTORISED_DOT_PRODUCT -> macs += attn.projectionMacs(l + c);
            case SPACE -> macs += attn.projectionMacs(t * (s + c));
            case DIVIDED, FACTORISED_SELF_ATTENTION -> {
                params += 2 * dim + temporalAttn.parameters();
                macs += attn.projectionMacs(t * (s + c)) + temporalAttn.projectionMacs(l);
                if (temporalFc != null) {
                    params += dim * dim + dim;
                    macs += l * dim * dim;
                }
            }
        }
        macs += attention.attentionMacs(t, s, classToken, dim, attn.heads());
        profiler.count(params, macs);
        return attention == SpaceTimeAttention.SPACE ? in.attendOver(Axis.H, Axis.W) : in.attendOver(Axis.values());
    }

    @Override
    public String label(FeatureMap in) {
        return "Block(" + attention.optionName() + ", " + dim + ", " + attn.heads() + " heads)";
    }
}

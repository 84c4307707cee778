package dev.kinema.models.transformer;

import dev.kinema.nn.SpaceTimeAttention;

/**
 * The size and shape of a video transformer, everything but the clip and the classes (which come
 * from the {@link dev.kinema.models.ModelConfig}): width, depth, heads, MLP width, patch and tubelet
 * size, qkv bias, the attention, the class token, the position embedding and the drop-path rate.
 *
 * @param dim token width D
 * @param depth transformer blocks (the spatial encoder's, for the factorised encoder)
 * @param heads attention heads
 * @param mlpRatio MLP width as a multiple of D
 * @param tubelet frames per token (1: per-frame 2D patches)
 * @param patch patch height and width
 * @param qkvBias whether the qkv projection has a bias
 * @param attention how attention covers space and time
 * @param classToken whether a class token is prepended (and pooled); otherwise tokens are averaged
 * @param positions how positions are embedded
 * @param temporalDepth the factorised encoder's temporal blocks (0 for other models)
 * @param dropPath the largest drop-path rate, reached by the last block (timm's linear rule)
 */
public record TransformerSpec(int dim, int depth, int heads, double mlpRatio, int tubelet, int patch, boolean qkvBias,
        SpaceTimeAttention attention, boolean classToken, Positions positions, int temporalDepth, float dropPath) {

    /** How token positions are embedded. */
    public enum Positions {
        /** One learned table over the class token and every patch token, {@code pos_embed} (ViViT, ViT). */
        JOINT,
        /**
         * TimeSformer's: a learned spatial table over the class token and one frame's patches,
         * {@code pos_embed}, and a learned temporal table, {@code time_embed}, added to every position.
         */
        SPACE_TIME,
        /** TimeSformer's space-only model: the spatial table alone, frames processed apart. */
        SPACE,
        /** A fixed 3D sine-cosine table: no parameters. */
        SIN_COS
    }

    public TransformerSpec {
        if (dim < 1 || depth < 1 || heads < 1 || dim % heads != 0 || tubelet < 1 || patch < 1 || mlpRatio <= 0) {
            throw new IllegalArgumentException("bad transformer: width " + dim + ", depth " + depth + ", heads " + heads
                    + ", tubelet " + tubelet + ", patch " + patch);
        }
    }

    /** ViT-Base: width 768, 12 blocks of 12 heads, MLP 3072, qkv bias. */
    public static TransformerSpec base(SpaceTimeAttention attention, int tubelet, Positions positions, boolean classToken) {
        return new TransformerSpec(768, 12, 12, 4.0, tubelet, 16, true, attention, classToken, positions, 0, 0.1f);
    }

    /** A small transformer that trains on Kinema-Motion in minutes on 2 cores: width 64, 4 blocks of 4 heads, 16x16 patches. */
    public static TransformerSpec small(SpaceTimeAttention attention, int tubelet, Positions positions, boolean classToken) {
        return new TransformerSpec(64, 4, 4, 2.0, tubelet, 16, true, attention, classToken, positions, 0, 0.1f);
    }

    /** This spec with {@code temporalDepth} temporal blocks. */
    public TransformerSpec withTemporalDepth(int blocks) {
        return new TransformerSpec(dim, depth, heads, mlpRatio, tubelet, patch, qkvBias, attention, classToken, positions,
                blocks, dropPath);
    }

    /** This spec with {@code frames}-frame tubelets (1: per-frame patches). */
    public TransformerSpec withTubelet(int frames) {
        return new TransformerSpec(dim, depth, heads, mlpRatio, frames, patch, qkvBias, attention, classToken, positions,
                temporalDepth, dropPath);
    }

    /**
     * Attention-matrix entries of the whole model for one clip whose tokens form a T×S grid (all
     * blocks, all heads): what its attention costs in memory, and in MACs times {@code 2·D/heads}.
     */
    public long attentionEntries(long t, long s) {
        if (temporalDepth > 0) {
            return depth * SpaceTimeAttention.SPACE.entries(t, s, classToken, heads)
                    + temporalDepth * SpaceTimeAttention.JOINT.entries(t, 1, classToken, heads);
        }
        SpaceTimeAttention a = positions == Positions.SPACE ? SpaceTimeAttention.SPACE : attention;
        return depth * a.entries(t, s, classToken, heads);
    }

    public long hidden() {
        return Math.round(dim * mlpRatio);
    }
}

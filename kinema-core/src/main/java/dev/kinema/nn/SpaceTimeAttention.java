package dev.kinema.nn;

/**
 * How a transformer block's self-attention covers a clip's T×S tokens (S = H·W patches per frame),
 * the lecture's ways of making space-time attention affordable. The costs are for one block and
 * one clip with L = T·S patch tokens and, where the model has one, a class token (c = 1).
 */
public enum SpaceTimeAttention {
    /** Every token attends to every token (ViViT model 1, TimeSformer "joint"): (L+c)² entries per head. */
    JOINT,
    /**
     * TimeSformer's divided space-time attention: temporal attention among the T tokens of each
     * position (with its own {@code temporal_norm1}, {@code temporal_attn} and {@code temporal_fc}),
     * then spatial attention among the S tokens of each frame and the class token.
     */
    DIVIDED,
    /**
     * ViViT model 3, factorised self-attention: spatial attention within each frame, then temporal
     * attention within each position, each with its own norm and attention, no extra projection.
     */
    FACTORISED_SELF_ATTENTION,
    /**
     * ViViT model 4, factorised dot-product attention: one qkv projection, half of the heads attend
     * within the frame and half within the position; the class token attends to everything.
     */
    FACTORISED_DOT_PRODUCT,
    /** Spatial attention only, within each frame (TimeSformer "space only"; the model averages frames at the end). */
    SPACE;

    /**
     * Attention-matrix entries of one block for one clip, over all {@code heads}: how many
     * query-key scores it computes.
     */
    public long entries(long t, long s, boolean classToken, int heads) {
        long c = classToken ? 1 : 0;
        long l = t * s;
        return switch (this) {
            case JOINT -> heads * (l + c) * (l + c);
            case DIVIDED, FACTORISED_SELF_ATTENTION -> heads * (l * t + t * (s + c) * (s + c));
            case FACTORISED_DOT_PRODUCT -> heads / 2 * (l * (s + c) + l * (t + c)) + heads * c * (l + c);
            case SPACE -> heads * t * (s + c) * (s + c);
        };
    }

    /**
     * MACs of one block's attention products (q·kᵀ and weights·v) for one clip of width {@code dim}:
     * every entry costs {@code dim / heads} for each of the two products.
     */
    public long attentionMacs(long t, long s, boolean classToken, long dim, int heads) {
        return Math.multiplyExact(2 * entries(t, s, classToken, heads), dim / heads);
    }

    /** The option name, e.g. {@code fdp}. */
    public String optionName() {
        return switch (this) {
            case JOINT -> "joint";
            case DIVIDED -> "divided";
            case FACTORISED_SELF_ATTENTION -> "fsa";
            case FACTORISED_DOT_PRODUCT -> "fdp";
            case SPACE -> "space";
        };
    }
}

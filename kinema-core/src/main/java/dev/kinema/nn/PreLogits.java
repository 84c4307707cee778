package dev.kinema.nn;

import ai.djl.util.PairList;

/**
 * The forward parameter that asks a head for its pre-logit features instead of class scores
 * (timm's {@code forward_head(x, pre_logits=True)}): the classifier passes its input on unchanged,
 * and a block that turns per-frame or per-stream scores into clip scores averages plainly
 * ({@link FrameConsensus}). Blocks that hold others hand the parameters on to their children.
 */
public final class PreLogits {
    /** The key in a forward pass's parameters. */
    public static final String KEY = "pre_logits";

    private PreLogits() {}

    /** The parameters of a pre-logits forward pass. */
    public static PairList<String, Object> params() {
        PairList<String, Object> p = new PairList<>();
        p.add(KEY, Boolean.TRUE);
        return p;
    }

    /** True when {@code params} (possibly null) ask for pre-logit features. */
    public static boolean requested(PairList<String, Object> params) {
        return params != null && Boolean.TRUE.equals(params.get(KEY));
    }
}

package dev.kinema.models.transformer;

import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.models.transformer.TransformerSpec.Positions;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.SpaceTimeAttention;
import dev.kinema.nn.TokenPool;
import dev.kinema.nn.TransformerInit;

/**
 * Builders of the video transformers: ViViT's four models (Arnab et al. 2021) and TimeSformer
 * (Bertasius et al. 2021) with divided, joint and space-only attention, each from a
 * {@link TransformerSpec} and a {@link ModelConfig}.
 */
public final class VideoTransformers {
    /** ViViT's factorised encoder: Kinema's reference has 4 temporal blocks. */
    public static final int VIVIT_FE_TEMPORAL_DEPTH = 4;

    private VideoTransformers() {}

    /** ViViT's spec for a model: a class token for models 1, 2 and 4, one learned table, 2-frame tubelets. */
    public static TransformerSpec vivit(SpaceTimeAttention attention, boolean base) {
        boolean classToken = attention != SpaceTimeAttention.FACTORISED_SELF_ATTENTION;
        TransformerSpec spec = base ? TransformerSpec.base(attention, 2, Positions.JOINT, classToken)
                : TransformerSpec.small(attention, 2, Positions.JOINT, classToken);
        return spec;
    }

    /** ViViT's model 2: a spatial encoder per frame group, then a temporal encoder. */
    public static TransformerSpec vivitFactorisedEncoder(boolean base) {
        TransformerSpec s = base ? TransformerSpec.base(SpaceTimeAttention.JOINT, 2, Positions.JOINT, true)
                : TransformerSpec.small(SpaceTimeAttention.JOINT, 2, Positions.JOINT, true);
        return s.withTemporalDepth(base ? VIVIT_FE_TEMPORAL_DEPTH : 2);
    }

    /** TimeSformer's spec: per-frame 16×16 patches, a class token, spatial and temporal tables (no temporal one for space-only). */
    public static TransformerSpec timesformer(SpaceTimeAttention attention, boolean base) {
        Positions positions = attention == SpaceTimeAttention.SPACE ? Positions.SPACE : Positions.SPACE_TIME;
        return base ? TransformerSpec.base(attention, 1, positions, true) : TransformerSpec.small(attention, 1, positions, true);
    }

    /** A video transformer of {@code spec} for {@code config}'s clip and classes, named {@code name}, initialised as timm's. */
    public static VideoModel build(String name, TransformerSpec spec, ModelConfig c) {
        var features = spec.temporalDepth() > 0
                ? new FactorisedEncoder(spec, c.channels(), c.frames(), c.size())
                : new VideoTransformer(spec, c.channels(), c.frames(), c.size());
        NamedSequential head = NamedSequential.layers()
                .add("pool", spec.classToken() ? TokenPool.classToken() : TokenPool.mean())
                .add("head", new LinearClassifier(c.numClasses()));
        return TransformerInit.timm(new VideoModel(name, c, features, head));
    }
}

package dev.kinema.models.videomae;

/**
 * The size of a VideoMAE (Tong et al. 2022): its ViT encoder on tubelets, the light decoder that
 * pretraining adds, and how the fine-tuning model pools. The clip and the classes come from the
 * {@link dev.kinema.models.ModelConfig}.
 *
 * @param dim encoder width D
 * @param depth encoder blocks
 * @param heads encoder attention heads
 * @param mlpRatio MLP width as a multiple of D
 * @param tubelet frames per token
 * @param patch patch height and width
 * @param decoderDim decoder width
 * @param decoderDepth decoder blocks
 * @param decoderHeads decoder attention heads
 * @param classToken fine-tune on a class token (with a final LayerNorm, {@code norm}) instead of
 *     VideoMAE's default, the mean of the tokens through a final LayerNorm ({@code fc_norm})
 * @param dropPath the largest drop-path rate, reached by the last encoder block
 */
public record VideoMaeSpec(int dim, int depth, int heads, double mlpRatio, int tubelet, int patch, int decoderDim,
        int decoderDepth, int decoderHeads, boolean classToken, float dropPath) {

    public VideoMaeSpec {
        if (dim < 1 || depth < 1 || heads < 1 || dim % heads != 0 || tubelet < 1 || patch < 1 || mlpRatio <= 0
                || decoderDim < 1 || decoderDepth < 1 || decoderHeads < 1 || decoderDim % decoderHeads != 0) {
            throw new IllegalArgumentException("bad VideoMAE: width " + dim + ", depth " + depth + ", heads " + heads
                    + ", decoder width " + decoderDim + ", depth " + decoderDepth + ", heads " + decoderHeads);
        }
    }

    /**
     * ViT-B on 2×16×16 tubelets (VideoMAE's {@code vit_base_patch16_224}): width 768, 12 blocks of 12
     * heads, MLP 3072; the decoder of 4 blocks of width 384 with 6 heads; mean pooling; drop path 0.1.
     */
    public static VideoMaeSpec base() {
        return new VideoMaeSpec(768, 12, 12, 4.0, 2, 16, 384, 4, 6, false, 0.1f);
    }

    /**
     * Small enough to pretrain on Kinema-Motion on 2 cores: width 96, 4 blocks of 4 heads, MLP 384,
     * 2×16×16 tubelets; a decoder of 2 blocks of width 64 with 4 heads.
     */
    public static VideoMaeSpec small() {
        return new VideoMaeSpec(96, 4, 4, 4.0, 2, 16, 64, 2, 4, false, 0.1f);
    }

    /** This spec fine-tuning on a class token instead of mean pooling. */
    public VideoMaeSpec withClassToken() {
        return new VideoMaeSpec(dim, depth, heads, mlpRatio, tubelet, patch, decoderDim, decoderDepth, decoderHeads, true,
                dropPath);
    }

    /** This spec with another decoder. */
    public VideoMaeSpec withDecoder(int width, int blocks, int decoderHeadCount) {
        return new VideoMaeSpec(dim, depth, heads, mlpRatio, tubelet, patch, width, blocks, decoderHeadCount, classToken,
                dropPath);
    }

    public long hidden() {
        return Math.round(dim * mlpRatio);
    }

    /** Pixel values per tubelet, what the decoder predicts per masked token: {@code 3·t·p·p}. */
    public int tubeletPixels(int channels) {
        return channels * tubelet * patch * patch;
    }
}

package dev.kinema.models.transformer;

import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * An MViT's architecture, as torchvision 0.14 writes it (the simplified form of Table 1 of Fan et
 * al.): one {@link Block} per transformer block, and the three switches that make MViTv2 (Li et al.
 * 2022): residual pooling, decomposed relative positions (instead of absolute ones), and the
 * widening projection before the attention. The patch embedding is torchvision's: a 3×7×7
 * convolution with stride 2×4×4.
 *
 * @param blocks the blocks in order
 * @param residualPool MViTv2's pooled-query shortcut inside attention
 * @param relativePositions MViTv2's decomposed relative positions; otherwise learned absolute tables
 * @param projAfterAttn whether a widening block's attention already works at the new width (v2)
 * @param dropPath the last block's stochastic-depth rate, rising linearly from 0 (torchvision: 0.2)
 */
public record MViTSpec(List<Block> blocks, boolean residualPool, boolean relativePositions, boolean projAfterAttn,
        float dropPath) {
    static final Shape PATCH_KERNEL = new Shape(3, 7, 7);
    static final Shape PATCH_STRIDE = new Shape(2, 4, 4);
    static final Shape PATCH_PADDING = new Shape(1, 3, 3);
    private static final Shape NONE = new Shape(1, 1, 1);
    private static final Shape K3 = new Shape(3, 3, 3);

    /**
     * One block (torchvision's {@code MSBlockConfig}); a kernel or stride of 1×1×1 means no pooling
     * (torchvision's empty list).
     */
    public record Block(int heads, long inDim, long outDim, Shape kernelQ, Shape kernelKv, Shape strideQ, Shape strideKv) {}

    public MViTSpec {
        blocks = List.copyOf(blocks);
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("an MViT needs at least one block");
        }
    }

    /** torchvision's {@code mvit_v1_b}: 16 blocks, widths 96 to 768, absolute positions. */
    public static MViTSpec v1Base() {
        int[] heads = {1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8};
        long[] in = {96, 192, 192, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 768, 768};
        long[] out = {192, 192, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 768, 768, 768};
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < heads.length; i++) {
            boolean poolQ = i == 1 || i == 3 || i == 14;
            blocks.add(new Block(heads[i], in[i], out[i], poolQ ? K3 : NONE, K3, poolQ ? new Shape(1, 2, 2) : NONE,
                    keyStride(i)));
        }
        return new MViTSpec(blocks, false, false, false, 0.2f);
    }

    /** torchvision's {@code mvit_v2_s}: 16 blocks, widths 96 to 768, relative positions, residual pooling. */
    public static MViTSpec v2Small() {
        int[] heads = {1, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 8, 8};
        long[] in = {96, 96, 192, 192, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 768};
        long[] out = {96, 192, 192, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 384, 768, 768};
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < heads.length; i++) {
            boolean poolQ = i == 1 || i == 3 || i == 14;
            blocks.add(new Block(heads[i], in[i], out[i], K3, K3, poolQ ? new Shape(1, 2, 2) : NONE, keyStride(i)));
        }
        return new MViTSpec(blocks, true, true, true, 0.2f);
    }

    /** Both models' key and value strides: 8, then 4, 4, then 2 until the last stage, 1 there. */
    private static Shape keyStride(int block) {
        long s = block == 0 ? 8 : block < 3 ? 4 : block < 14 ? 2 : 1;
        return new Shape(1, s, s);
    }

    /**
     * A small MViTv2 for Kinema-Motion on a few cores: 5 blocks in three stages of widths 32, 64 and
     * 128 (1, 2 and 4 heads), queries pooled 2×2 at each new stage, keys and values pooled to a 7×7
     * grid at a 112×112 clip, as v2-S pools them to 7×7 at 224.
     */
    public static MViTSpec small() {
        int[] heads = {1, 2, 2, 4, 4};
        long[] in = {32, 32, 64, 64, 128};
        long[] out = {32, 64, 64, 128, 128};
        long[] strideQ = {1, 2, 1, 2, 1};
        long[] strideKv = {4, 4, 2, 2, 1};
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < heads.length; i++) {
            blocks.add(new Block(heads[i], in[i], out[i], K3, K3, new Shape(1, strideQ[i], strideQ[i]),
                    new Shape(1, strideKv[i], strideKv[i])));
        }
        return new MViTSpec(blocks, true, true, true, 0.1f);
    }

    public long embedDim() {
        return blocks.get(0).inDim();
    }

    public long outDim() {
        return blocks.get(blocks.size() - 1).outDim();
    }

    /**
     * The token grid before each block and, last, after them, for a clip of {@code frames}×{@code
     * size}×{@code size}, as torchvision sizes it ({@code size // stride}); refused when a stride
     * does not divide its grid, where torchvision's tables and the pooled grids would disagree.
     */
    public long[][] grids(String name, int frames, int size) {
        long[] g = {frames / PATCH_STRIDE.get(0), size / PATCH_STRIDE.get(1), size / PATCH_STRIDE.get(2)};
        if (frames % PATCH_STRIDE.get(0) != 0 || size % PATCH_STRIDE.get(1) != 0) {
            throw new IllegalArgumentException(name + " needs an even number of frames and a size divisible by 4, got "
                    + frames + "x" + size + "x" + size);
        }
        long[][] out = new long[blocks.size() + 1][];
        for (int i = 0; i < blocks.size(); i++) {
            out[i] = g.clone();
            Block b = blocks.get(i);
            for (int a = 0; a < 3; a++) {
                if (g[a] % b.strideQ().get(a) != 0 || g[a] % b.strideKv().get(a) != 0) {
                    throw new IllegalArgumentException(name + ": a " + frames + "x" + size + "x" + size + " clip gives block "
                            + i + " a " + g[0] + "x" + g[1] + "x" + g[2] + " token grid, which its query stride "
                            + b.strideQ() + " and key stride " + b.strideKv() + " do not divide");
                }
            }
            for (int a = 0; a < 3; a++) {
                g[a] /= b.strideQ().get(a);
            }
        }
        out[blocks.size()] = g;
        return out;
    }
}

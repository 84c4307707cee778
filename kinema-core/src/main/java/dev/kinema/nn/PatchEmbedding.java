package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Clips N×C×T×H×W to tokens N×T'×H'×W'×D by a linear projection of non-overlapping patches:
 * {@code proj}, a convolution whose stride is its kernel. With a tubelet of one frame it is a
 * per-frame 2D patch embedding (ViT's and TimeSformer's {@code patch_embed.proj}, a Conv2d weight
 * D×C×p×p); with {@code t > 1} frames it is ViViT's tubelet embedding (a Conv3d weight D×C×t×p×p).
 * The clip must divide into whole patches.
 *
 * <p>Tokens keep the grid as axes (T', H', W') so that factorised attention can group them by
 * frame or by position without being told the clip's size.
 */
public final class PatchEmbedding extends AbstractBlock implements Profiled {
    private final long channels;
    private final long dim;
    private final int tubelet;
    private final int patch;
    private final Block proj;

    public PatchEmbedding(long channels, long dim, int tubelet, int patch) {
        if (tubelet < 1 || patch < 1) {
            throw new IllegalArgumentException("patches must be at least 1x1x1, got " + tubelet + "x" + patch + "x" + patch);
        }
        this.channels = channels;
        this.dim = dim;
        this.tubelet = tubelet;
        this.patch = patch;
        ConvSpec spec = tubelet == 1
                ? new ConvSpec(2, channels, dim, new Shape(patch, patch), new Shape(patch, patch), new Shape(0, 0), true)
                : new ConvSpec(3, channels, dim, new Shape(tubelet, patch, patch), new Shape(tubelet, patch, patch),
                        new Shape(0, 0, 0), true);
        this.proj = addChildBlock("proj", LayerFactory.djlConv(spec));
    }

    public int tubelet() {
        return tubelet;
    }

    public int patch() {
        return patch;
    }

    /** The token grid T'×H'×W' of a clip T×H×W. */
    public long[] grid(long frames, long height, long width) {
        if (frames % tubelet != 0 || height % patch != 0 || width % patch != 0) {
            throw new IllegalArgumentException("a clip of " + frames + "x" + height + "x" + width
                    + " does not divide into " + tubelet + "x" + patch + "x" + patch + " patches");
        }
        return new long[] {frames / tubelet, height / patch, width / patch};
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        Shape s = x.getShape();
        long n = s.get(0);
        long[] g = grid(s.get(2), s.get(3), s.get(4));
        NDArray out;
        if (tubelet == 1) {
            NDArray frames = x.transpose(0, 2, 1, 3, 4).reshape(n * s.get(2), s.get(1), s.get(3), s.get(4));
            out = proj.forward(parameterStore, new NDList(frames), training).singletonOrThrow()
                    .reshape(n, g[0], dim, g[1], g[2]).transpose(0, 1, 3, 4, 2);
        } else {
            out = proj.forward(parameterStore, new NDList(x), training).singletonOrThrow().transpose(0, 2, 3, 4, 1);
        }
        return new NDList(out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        proj.initialize(manager, dataType, tubelet == 1 ? new Shape(s.get(0) * s.get(2), s.get(1), s.get(3), s.get(4)) : s);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long[] g = grid(s.get(2), s.get(3), s.get(4));
        return new Shape[] {new Shape(s.get(0), g[0], g[1], g[2], dim)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        if (in.channels() != channels) {
            throw new IllegalArgumentException("patch embedding of " + channels + " channels got " + in.shapeText());
        }
        long[] s = in.shape();
        grid(s[1], s[2], s[3]);
        Shape k = new Shape(tubelet, patch, patch);
        FeatureMap out = in.slide(k, k, new Shape(0, 0, 0), new Shape(1, 1, 1)).withChannels(dim);
        long perOutput = channels * k.size();
        profiler.count(dim * perOutput + dim, Math.multiplyExact(out.elements(), perOutput));
        return out;
    }

    @Override
    public String label(FeatureMap in) {
        return "PatchEmbed(" + tubelet + "x" + patch + "x" + patch + ", " + channels + "->" + dim + ")";
    }
}

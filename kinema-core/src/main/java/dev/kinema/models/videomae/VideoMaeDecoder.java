package dev.kinema.models.videomae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;

/**
 * VideoMAE's light decoder ({@code PretrainVisionTransformerDecoder}): {@code blocks} over all
 * tokens (the visible ones, then the mask tokens), and for the last {@code M} tokens, the masked
 * ones, a LayerNorm ({@code norm}) and a linear {@code head} to their tubelets' pixels. Input
 * N×L×Dd and the count M as a second, scalar array's size; output N×M×pixels.
 */
final class VideoMaeDecoder extends AbstractBlock implements Profiled {
    private final long dim;
    private final long pixels;
    private final NamedSequential blocks;
    private final FeatureLayerNorm norm;
    private final Linear head;

    VideoMaeDecoder(VideoMaeSpec spec, int pixels) {
        this.dim = spec.decoderDim();
        this.pixels = pixels;
        this.blocks = addChildBlock("blocks", VideoMaeEncoder.stack(dim, spec.decoderDepth(), spec.decoderHeads(),
                4L * dim, 0f));
        this.norm = addChildBlock("norm", FeatureLayerNorm.vit(dim));
        this.head = addChildBlock("head", Linear.builder().setUnits(pixels).build());
    }

    /** The pixels predicted for the last {@code masked} of {@code tokens} (N×L×Dd). */
    NDArray predict(ParameterStore ps, NDArray tokens, long masked, boolean training) {
        NDArray x = VideoMaeEncoder.run(ps, blocks, tokens, training);
        long l = x.getShape().get(1);
        NDArray last = x.get(":, " + (l - masked) + ":, :");
        return head.forward(ps, new NDList(norm.apply(ps, last, training)), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(predict(ps, inputs.get(0), inputs.get(0).getShape().get(1), training));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        blocks.initialize(manager, dataType, new Shape(1, 1, 1, 1, dim));
        norm.initialize(manager, dataType, new Shape(1, 1, dim));
        head.initialize(manager, dataType, new Shape(1, 1, dim));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), pixels)};
    }

    /** Costs of the blocks on {@code tokens} tokens and of the norm and head on {@code masked}. */
    void count(Profiler profiler, long tokens, long masked) {
        profiler.visit(blocks, FeatureMap.ofClip(new Shape(dim, tokens, 1, 1)));
        profiler.visit(norm, FeatureMap.ofClip(new Shape(dim, masked, 1, 1)));
        profiler.count(dim * pixels + pixels, Math.multiplyExact(masked, dim * pixels));
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        long tokens = in.elements() / in.channels();
        count(profiler, tokens, tokens);
        return in.withChannels(pixels);
    }

    @Override
    public String label(FeatureMap in) {
        return "VideoMAE decoder(" + dim + ")";
    }
}

package dev.kinema.models.transformer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import dev.kinema.nn.ParameterValues;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.VideoModel;
import dev.kinema.models.heads.LinearClassifier;
import dev.kinema.nn.ConvSpec;
import dev.kinema.nn.DropPath;
import dev.kinema.nn.FeatureLayerNorm;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.LayerFactory;
import dev.kinema.nn.MultiscaleBlock;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PositionEmbeddings;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.TokenPool;
import dev.kinema.nn.TransformerInit;

/**
 * The features of a Multiscale Vision Transformer (Fan et al. 2021, MViTv2: Li et al. 2022), block
 * for block as torchvision 0.14's {@code MViT}: {@code conv_proj} (3×7×7, stride 2×4×4) to tokens,
 * {@code pos_encoding} (a class token; for v1 also learned spatial, temporal and class position
 * tables), the {@link MultiscaleBlock}s, which pool the token grid stage by stage while widening it,
 * and a final {@code norm}; clips N×C×T×H×W to tokens N×(1+L)×D, the class token first.
 *
 * <p>Parameter names are torchvision's state_dict names, so its checkpoints, saved as safetensors,
 * load strictly. A clip of another size than configured resizes v1's position tables and v2's
 * relative-position tables by linear interpolation (torchvision does the latter only).
 */
final class MViT extends AbstractBlock implements Profiled {
    private final MViTSpec spec;
    private final long[][] grids;
    private final Block convProj;
    private final Positions posEncoding;
    private final NamedSequential blocks;
    private final FeatureLayerNorm norm;

    MViT(String name, MViTSpec spec, int channels, int frames, int size) {
        this.spec = spec;
        this.grids = spec.grids(name, frames, size);
        this.convProj = addChildBlock("conv_proj", LayerFactory.djlConv(new ConvSpec(3, channels, spec.embedDim(),
                MViTSpec.PATCH_KERNEL, MViTSpec.PATCH_STRIDE, MViTSpec.PATCH_PADDING, true)));
        this.posEncoding = addChildBlock("pos_encoding", new Positions(spec.embedDim(), grids[0], !spec.relativePositions()));
        this.blocks = NamedSequential.layers();
        int depth = spec.blocks().size();
        for (int i = 0; i < depth; i++) {
            MViTSpec.Block b = spec.blocks().get(i);
            blocks.add(Integer.toString(i), new MultiscaleBlock(b.inDim(), b.outDim(), b.heads(), b.kernelQ(), b.strideQ(),
                    b.kernelKv(), b.strideKv(), spec.residualPool(), spec.relativePositions() ? grids[i] : null,
                    spec.projAfterAttn(), DropPath.linearRate(spec.dropPath(), i, depth)));
        }
        addChildBlock("blocks", blocks);
        this.norm = addChildBlock("norm", FeatureLayerNorm.vit(spec.outDim()));
    }

    /**
     * An MViT classifier: these features, the class token, dropout 0.5 and a linear classifier
     * ({@code head.1}), initialised as torchvision's (linear weights N(0, 0.02²)).
     */
    static VideoModel build(String name, MViTSpec spec, ModelConfig c) {
        MViT features = new MViT(name, spec, c.channels(), c.frames(), c.size());
        NamedSequential head = NamedSequential.layers()
                .add("pool", TokenPool.classToken())
                .add("head", NamedSequential.layers()
                        .add("0", Dropout.builder().optRate(0.5f).build())
                        .add("1", new LinearClassifier(c.numClasses())));
        return TransformerInit.timm(new VideoModel(name, c, features, head));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = convProj.forward(ps, inputs, training).singletonOrThrow().transpose(0, 2, 3, 4, 1);
        NDList out = blocks.forward(ps, posEncoding.forward(ps, new NDList(x), training), training);
        NDArray grid = out.get(0);
        NDArray tokens = out.get(1).concat(grid.reshape(grid.getShape().get(0), -1, spec.outDim()), 1);
        return norm.forward(ps, new NDList(tokens), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        convProj.initialize(manager, dataType, inputShapes);
        Shape c = convProj.getOutputShapes(inputShapes)[0];
        Shape grid = new Shape(c.get(0), c.get(2), c.get(3), c.get(4), c.get(1));
        posEncoding.initialize(manager, dataType, grid);
        blocks.initialize(manager, dataType, grid, new Shape(c.get(0), 1, c.get(1)));
        norm.initialize(manager, dataType, new Shape(1, 1, spec.outDim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape c = convProj.getOutputShapes(inputShapes)[0];
        Shape[] tokens = {new Shape(c.get(0), c.get(2), c.get(3), c.get(4), c.get(1)), new Shape(c.get(0), 1, c.get(1))};
        for (Block b : blocks.getChildren().values()) {
            tokens = b.getOutputShapes(tokens);
        }
        Shape g = tokens[0];
        return new Shape[] {new Shape(g.get(0), 1 + g.get(1) * g.get(2) * g.get(3), spec.outDim())};
    }

    /** Attention-matrix entries of one clip whose first token grid is {@code thw}: all blocks, all heads. */
    long attentionEntries(long[] thw) {
        long entries = 0;
        long[] g = thw;
        for (Block b : blocks.getChildren().values()) {
            MultiscaleBlock block = (MultiscaleBlock) b;
            entries += block.attentionEntries(g);
            g = block.outputGrid(g);
        }
        return entries;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap x = profiler.visit(convProj, in);
        profiler.count(posEncoding.parameters(), 0);
        return profiler.visit(norm, profiler.visit(blocks, x));
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap x = profiler.rows(Profiler.childName(name, "conv_proj"), convProj, in);
        profiler.count(posEncoding.parameters(), 0);
        x = profiler.rows(Profiler.childName(name, "blocks"), blocks, x);
        return profiler.rows(Profiler.childName(name, "norm"), norm, x);
    }

    /**
     * torchvision's {@code PositionalEncoding}: tokens N×T×H×W×D in, the same with positions added
     * and the class token N×1×D out. Its tables are {@code class_token} (D), and without relative
     * positions {@code spatial_pos} (H·W×D), {@code temporal_pos} (T×D) and {@code class_pos} (D).
     */
    private static final class Positions extends AbstractBlock {
        private final long dim;
        private final long[] grid;
        private final Parameter classToken;
        private final Parameter spatialPos;
        private final Parameter temporalPos;
        private final Parameter classPos;

        Positions(long dim, long[] grid, boolean absolute) {
            this.dim = dim;
            this.grid = grid;
            this.classToken = addParameter(table("class_token", new Shape(dim)));
            this.spatialPos = absolute ? addParameter(table("spatial_pos", new Shape(grid[1] * grid[2], dim))) : null;
            this.temporalPos = absolute ? addParameter(table("temporal_pos", new Shape(grid[0], dim))) : null;
            this.classPos = absolute ? addParameter(table("class_pos", new Shape(dim))) : null;
        }

        private static Parameter table(String name, Shape shape) {
            // torchvision: trunc_normal_(std=0.02); not weight-decayed
            return Parameter.builder().setName(name).setType(Parameter.Type.OTHER).optShape(shape)
                    .optInitializer(new NormalInitializer(0.02f)).build();
        }

        long parameters() {
            long n = 0;
            for (Parameter p : getDirectParameters().values()) {
                n += p.getShape().size();
            }
            return n;
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape s = x.getShape();
            long n = s.get(0), t = s.get(1), h = s.get(2), w = s.get(3);
            NDArray cls = ParameterValues.of(ps, classToken, x, training).reshape(1, 1, dim).broadcast(n, 1, dim);
            if (spatialPos != null) {
                NDArray spatial = PositionEmbeddings.resize(ParameterValues.of(ps, spatialPos, x, training),
                        new long[] {grid[1], grid[2]}, new long[] {h, w});
                NDArray temporal = PositionEmbeddings.resize(ParameterValues.of(ps, temporalPos, x, training),
                        new long[] {grid[0]}, new long[] {t});
                // torchvision sums the tables first, then adds them to the tokens
                x = x.add(temporal.reshape(t, 1, 1, dim).add(spatial.reshape(1, h, w, dim)));
                cls = cls.add(ParameterValues.of(ps, classPos, x, training).reshape(1, 1, dim));
            }
            return new NDList(x, cls);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            Shape s = inputShapes[0];
            return new Shape[] {s, new Shape(s.get(0), 1, dim)};
        }
    }
}

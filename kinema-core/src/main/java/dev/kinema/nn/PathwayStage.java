package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * One stage of a multi-pathway network: every pathway's own block, then (optionally) a lateral
 * connection between them. PyTorchVideo's {@code MultiPathWayWithFuse}, with its child names
 * {@code multipathway_blocks} and {@code multipathway_fusion}.
 */
public final class PathwayStage extends AbstractBlock implements PathwayProfiled {
    private final Pathways blocks;
    private final LateralFusion fusion;

    /** @param fusion the lateral connection after the stage, or {@code null} for none */
    public PathwayStage(Pathways blocks, LateralFusion fusion) {
        this.blocks = addChildBlock("multipathway_blocks", blocks);
        this.fusion = fusion == null ? null : addChildBlock("multipathway_fusion", fusion);
    }

    public Pathways blocks() {
        return blocks;
    }

    /** True when a lateral connection follows the stage. */
    public boolean fuses() {
        return fusion != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = blocks.forward(parameterStore, inputs, training, params);
        return fusion == null ? x : fusion.forward(parameterStore, x, training, params);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        blocks.initialize(manager, dataType, inputShapes);
        if (fusion != null) {
            fusion.initialize(manager, dataType, blocks.getOutputShapes(inputShapes));
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] x = blocks.getOutputShapes(inputShapes);
        return fusion == null ? x : fusion.getOutputShapes(x);
    }

    @Override
    public List<FeatureMap> profilePathways(String name, List<FeatureMap> in, Profiler profiler, boolean rows) {
        List<FeatureMap> x = blocks.profilePathways(Profiler.childName(name, "multipathway_blocks"), in, profiler, rows);
        return fusion == null ? x : fusion.profilePathways(Profiler.childName(name, "multipathway_fusion"), x, profiler, rows);
    }
}

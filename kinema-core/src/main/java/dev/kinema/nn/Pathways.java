package dev.kinema.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * One block per pathway, side by side: block {@code i} (child {@code i}) runs on input {@code i}.
 * PyTorchVideo's {@code multipathway_blocks}.
 */
public final class Pathways extends AbstractBlock implements PathwayProfiled {
    private final List<Block> blocks = new ArrayList<>();

    /** {@code blocks[i]} for pathway {@code i}. */
    public Pathways(Block... blocks) {
        if (blocks.length < 1) {
            throw new IllegalArgumentException("no pathways");
        }
        for (Block b : blocks) {
            this.blocks.add(addChildBlock(Integer.toString(this.blocks.size()), b));
        }
    }

    /** The block of pathway {@code i}. */
    public Block get(int i) {
        return blocks.get(i);
    }

    public int size() {
        return blocks.size();
    }

    private void check(int inputs) {
        if (inputs != blocks.size()) {
            throw new IllegalArgumentException(blocks.size() + " pathways, got " + inputs + " inputs");
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        check(inputs.size());
        NDList out = new NDList();
        for (int i = 0; i < blocks.size(); i++) {
            out.add(blocks.get(i).forward(parameterStore, new NDList(inputs.get(i)), training, params).singletonOrThrow());
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        check(inputShapes.length);
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).initialize(manager, dataType, inputShapes[i]);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        check(inputShapes.length);
        Shape[] out = new Shape[blocks.size()];
        for (int i = 0; i < blocks.size(); i++) {
            out[i] = blocks.get(i).getOutputShapes(new Shape[] {inputShapes[i]})[0];
        }
        return out;
    }

    @Override
    public List<FeatureMap> profilePathways(String name, List<FeatureMap> in, Profiler profiler, boolean rows) {
        check(in.size());
        List<FeatureMap> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            out.add(PathwayProfiled.account(profiler, rows, Profiler.childName(name, Integer.toString(i)), blocks.get(i),
                    in.get(i)));
        }
        return out;
    }
}

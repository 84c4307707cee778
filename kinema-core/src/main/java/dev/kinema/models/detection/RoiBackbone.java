package dev.kinema.models.detection;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.Staged;
import java.util.Arrays;
import java.util.Map;

/**
 * A detector's features: a clip backbone run on the first input (the clips), with the second input
 * (the regions of interest, if any) passed on beside its feature map for the RoI head. So a detection
 * model is a {@link dev.kinema.models.VideoModel} like any other: {@code forward(clips)} classifies
 * each clip's whole frame, {@code forward(clips, rois)} each region.
 */
final class RoiBackbone extends AbstractBlock implements Profiled, Staged {
    private final NamedSequential backbone;

    RoiBackbone(NamedSequential backbone) {
        this.backbone = addChildBlock("backbone", backbone);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList map = backbone.forward(parameterStore, new NDList(inputs.head()), training, params);
        return inputs.size() > 1 ? new NDList(map.singletonOrThrow(), inputs.get(1)) : map;
    }

    @Override
    public NDList forwardStages(ParameterStore parameterStore, NDList inputs, boolean training, String prefix,
            Map<String, NDList> stages) {
        return backbone.forwardStages(parameterStore, new NDList(inputs.head()), training, prefix, stages);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape map = backbone.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        if (inputShapes.length == 1) {
            return new Shape[] {map};
        }
        Shape[] out = Arrays.copyOf(inputShapes, inputShapes.length);
        out[0] = map;
        return out;
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return backbone.profile(in, profiler);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        return backbone.profileRows(name, in, profiler);
    }
}

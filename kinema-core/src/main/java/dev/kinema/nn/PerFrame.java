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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs an image network on every frame of a clip, with the same weights: N×C×T×H×W becomes a batch
 * of N·T images C×H×W, and whatever comes out, (N·T)×C'×..., goes back to N×C'×T×... so the clip
 * layout (channels, then time) is kept. A 2D CNN applied per frame is exactly this.
 *
 * <p>In a layer table the inner network's rows appear directly, with T still shown in their shapes
 * (12 x 20 x 64 x 64 for a per-frame map) and a temporal receptive field of 1.
 */
public final class PerFrame extends AbstractBlock implements Profiled, Staged {
    private final Block frameNetwork;

    public PerFrame(Block frameNetwork) {
        this.frameNetwork = addChildBlock("frame", frameNetwork);
    }

    /** The network applied to each frame. */
    public Block frameNetwork() {
        return frameNetwork;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray clip = inputs.singletonOrThrow();
        Shape s = clip.getShape();
        NDArray frames = clip.swapAxes(1, 2).reshape(framesShape(s));
        NDArray out = frameNetwork.forward(parameterStore, new NDList(frames), training, params).singletonOrThrow();
        return new NDList(unfold(out, s.get(0), s.get(2)));
    }

    /** The frame network's stages (its own output if it has none), each back in clip layout. */
    @Override
    public NDList forwardStages(ParameterStore parameterStore, NDList inputs, boolean training, String prefix,
            Map<String, NDList> stages) {
        NDArray clip = inputs.singletonOrThrow();
        Shape s = clip.getShape();
        NDList frames = new NDList(clip.swapAxes(1, 2).reshape(framesShape(s)));
        Map<String, NDList> perFrame = new LinkedHashMap<>();
        if (frameNetwork instanceof Staged staged) {
            staged.forwardStages(parameterStore, frames, training, prefix, perFrame);
        } else {
            perFrame.put(Profiler.childName(prefix, "frame"), frameNetwork.forward(parameterStore, frames, training));
        }
        NDList out = null;
        for (Map.Entry<String, NDList> e : perFrame.entrySet()) {
            out = new NDList(unfold(e.getValue().singletonOrThrow(), s.get(0), s.get(2)));
            stages.put(e.getKey(), out);
        }
        return out;
    }

    private static Shape framesShape(Shape clip) {
        if (clip.dimension() != 5) {
            throw new IllegalArgumentException("a per-frame network takes N×C×T×H×W clips, got " + clip);
        }
        return new Shape(clip.get(0) * clip.get(2), clip.get(1), clip.get(3), clip.get(4));
    }

    private static NDArray unfold(NDArray perFrame, long n, long t) {
        Shape s = perFrame.getShape();
        return perFrame.reshape(new Shape(n, t).addAll(s.slice(1))).swapAxes(1, 2);
    }

    private static Shape unfold(Shape perFrame, long n, long t) {
        long[] s = new long[perFrame.dimension() + 1];
        s[0] = n;
        s[1] = perFrame.get(1);
        s[2] = t;
        for (int i = 2; i < perFrame.dimension(); i++) {
            s[i + 1] = perFrame.get(i);
        }
        return new Shape(s);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        frameNetwork.initialize(manager, dataType, framesShape(inputShapes[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape clip = inputShapes[0];
        Shape out = frameNetwork.getOutputShapes(new Shape[] {framesShape(clip)})[0];
        return new Shape[] {unfold(out, clip.get(0), clip.get(2))};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return profiler.visit(frameNetwork, in.withFramesInBatch(true)).withFramesInBatch(false);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        return profiler.rows(name, frameNetwork, in.withFramesInBatch(true)).withFramesInBatch(false);
    }

    @Override
    public String label(FeatureMap in) {
        return "PerFrame(" + Profiler.label(frameNetwork, in.withFramesInBatch(true)) + ")";
    }
}

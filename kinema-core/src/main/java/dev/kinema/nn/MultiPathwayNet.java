package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trunk of a two-pathway network (SlowFast): takes one clip N×C×T×H×W, gives the pathways'
 * last feature maps {@code [slow, fast]}.
 *
 * <p>The fast pathway sees the whole clip; the slow pathway sees T/α of its frames, spread evenly
 * from the first to the last ({@link #slowFrames}: PyTorchVideo's {@code PackPathway}, so feeding
 * Kinema the clip you would give {@code PackPathway} gives the same two inputs). T must be a
 * multiple of α. The stages ({@link PathwayStage}) sit in the child {@code blocks}, named
 * {@code 0}, {@code 1}, ..., as PyTorchVideo names them.
 *
 * <p>For the layer table every pathway's blocks get their own rows. What this block hands on to a
 * head is described as one map: the slow pathway's T×H×W with the channels of both pathways, which
 * is exact after the head's global pooling (per pathway, then concatenated).
 */
public final class MultiPathwayNet extends AbstractBlock implements Profiled, Staged {
    private final int alpha;
    private final NamedSequential stages;

    /** Stages named {@code 0}, {@code 1}, ...; {@code alpha} frames of the fast pathway per slow frame. */
    public MultiPathwayNet(int alpha, List<PathwayStage> stages) {
        if (alpha < 1) {
            throw new IllegalArgumentException("alpha must be >= 1, got " + alpha);
        }
        this.alpha = alpha;
        NamedSequential s = NamedSequential.layers();
        for (int i = 0; i < stages.size(); i++) {
            s.add(Integer.toString(i), stages.get(i));
        }
        this.stages = addChildBlock("blocks", s);
    }

    /** Fast-pathway frames per slow-pathway frame. */
    public int alpha() {
        return alpha;
    }

    /** The stage called {@code i}. */
    public PathwayStage stage(int i) {
        return (PathwayStage) stages.get(Integer.toString(i));
    }

    public int stageCount() {
        return stages.names().size();
    }

    /**
     * Which of {@code frames} frames the slow pathway sees: {@code frames / alpha} indices spread evenly
     * from 0 to {@code frames - 1}, rounded down: {@code torch.linspace(0, T - 1, T // alpha).long()},
     * computed exactly. (Torch's float32 linspace lands just below an integer in rare cases: of every
     * T up to 256 with alpha 2, 4 or 8, only T = 172, alpha = 4 differs, by one frame at one index.)
     */
    public static long[] slowFrames(long frames, int alpha) {
        if (frames < 1 || frames % alpha != 0) {
            throw new IllegalArgumentException("the clip's T must be a multiple of alpha = " + alpha + ", got " + frames);
        }
        int n = Math.toIntExact(frames / alpha);
        long[] idx = new long[n];
        for (int i = 1; i < n; i++) {
            idx[i] = i * (frames - 1) / (n - 1);
        }
        return idx;
    }

    /** The clip split into the pathways' inputs, {@code [slow, fast]}. */
    public NDList pathways(NDArray clip) {
        long[] idx = slowFrames(clip.getShape().get(2), alpha);
        NDList frames = new NDList();
        for (long i : idx) {
            frames.add(clip.get(new NDIndex(":, :, {}:{}", i, i + 1)));
        }
        NDArray slow = frames.size() == 1 ? frames.head() : NDArrays.concat(frames, 2);
        return new NDList(slow, clip);
    }

    private Shape[] pathwayShapes(Shape clip) {
        if (clip.dimension() != 5) {
            throw new IllegalArgumentException("a multi-pathway network takes N×C×T×H×W clips, got " + clip);
        }
        long[] s = clip.getShape().clone();
        s[2] = slowFrames(s[2], alpha).length;
        return new Shape[] {new Shape(s), clip};
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return stages.forward(parameterStore, pathways(inputs.singletonOrThrow()), training, params);
    }

    /** Each stage's {@code [slow, fast]} outputs, under {@code blocks.0}, {@code blocks.1}, ... */
    @Override
    public NDList forwardStages(ParameterStore parameterStore, NDList inputs, boolean training, String prefix,
            Map<String, NDList> out) {
        return stages.forwardStages(parameterStore, pathways(inputs.singletonOrThrow()), training,
                Profiler.childName(prefix, "blocks"), out);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        stages.initialize(manager, dataType, pathwayShapes(inputShapes[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return stages.getOutputShapes(pathwayShapes(inputShapes[0]));
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return walk("", in, profiler, false);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        return walk(name, in, profiler, true);
    }

    private FeatureMap walk(String name, FeatureMap clip, Profiler profiler, boolean rows) {
        Dim t = clip.opDims().get(0);
        if (t.axis() != Axis.T || clip.opDims().size() != 3) {
            throw new IllegalArgumentException("a multi-pathway network takes C x T x H x W clips, got " + clip.shapeText());
        }
        List<Dim> slowDims = new ArrayList<>(clip.opDims());
        slowDims.set(0, new Dim(Axis.T, slowFrames(t.size(), alpha).length, t.rf(), t.jump() * alpha));
        List<FeatureMap> x = List.of(clip.withOpDims(slowDims), clip);
        String prefix = Profiler.childName(name, "blocks");
        for (String stage : stages.names()) {
            x = ((PathwayStage) stages.get(stage)).profilePathways(Profiler.childName(prefix, stage), x, profiler, rows);
        }
        // Sizes from the slow pathway, receptive fields the wider of the two pathways'.
        List<Dim> merged = new ArrayList<>();
        for (int i = 0; i < x.get(0).opDims().size(); i++) {
            Dim s = x.get(0).opDims().get(i);
            merged.add(new Dim(s.axis(), s.size(), Math.max(s.rf(), x.get(1).opDims().get(i).rf()), s.jump()));
        }
        return x.get(0).withOpDims(merged).withChannels(x.get(0).channels() + x.get(1).channels());
    }

    @Override
    public String label(FeatureMap in) {
        return "MultiPathway(alpha " + alpha + ")";
    }
}

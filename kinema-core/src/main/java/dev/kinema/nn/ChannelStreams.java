package dev.kinema.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Two streams side by side on one packed clip N×(A+B)×T×H×W: the first on channels 0 to A-1, the
 * second on the B channels after them. Returns their outputs concatenated along the channels (their
 * class scores, N×2K), or, when {@code pooled}, their globally averaged features concatenated
 * (N×(Da + Db)). The two-stream network packs RGB and flow (3 + 2); the audio-visual networks RGB
 * and the log-mel plane (3 + 1).
 */
public final class ChannelStreams extends AbstractBlock implements Profiled {
    private final String label;
    private final String firstName;
    private final String secondName;
    private final int firstChannels;
    private final int secondChannels;
    private final Block first;
    private final Block second;
    private final boolean pooled;

    /**
     * @param label what the layer table calls it, and the model in errors
     * @param firstName the first stream's child name (its parameters' prefix)
     */
    public ChannelStreams(String label, String firstName, Block first, int firstChannels, String secondName, Block second,
            int secondChannels, boolean pooled) {
        this.label = label;
        this.firstName = firstName;
        this.secondName = secondName;
        this.firstChannels = firstChannels;
        this.secondChannels = secondChannels;
        this.first = addChildBlock(firstName, first);
        this.second = addChildBlock(secondName, second);
        this.pooled = pooled;
    }

    public Block first() {
        return first;
    }

    public Block second() {
        return second;
    }

    /** Whether the output is pooled features (else the streams' own outputs). */
    public boolean pooled() {
        return pooled;
    }

    public int channels() {
        return firstChannels + secondChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = x.get(new NDIndex(":, 0:{}", firstChannels));
        NDArray b = x.get(new NDIndex(":, {}:{}", firstChannels, channels()));
        NDArray s = first.forward(parameterStore, new NDList(a), training, params).singletonOrThrow();
        NDArray t = second.forward(parameterStore, new NDList(b), training, params).singletonOrThrow();
        if (pooled) {
            s = globalMean(s);
            t = globalMean(t);
        }
        return new NDList(s.concat(t, 1));
    }

    /** N×D×... to N×D, the mean over every axis after the channels. */
    private static NDArray globalMean(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    private Shape[] split(Shape packed) {
        if (packed.dimension() != 5 || packed.get(1) != channels()) {
            throw new IllegalArgumentException("a " + label + " model takes packed clips N x " + channels() + " x L x H x W, got "
                    + packed);
        }
        Shape rest = packed.slice(2);
        return new Shape[] {new Shape(packed.get(0), firstChannels).addAll(rest), new Shape(packed.get(0), secondChannels).addAll(rest)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] parts = split(inputShapes[0]);
        first.initialize(manager, dataType, parts[0]);
        second.initialize(manager, dataType, parts[1]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] parts = split(inputShapes[0]);
        Shape s = first.getOutputShapes(new Shape[] {parts[0]})[0];
        Shape t = second.getOutputShapes(new Shape[] {parts[1]})[0];
        return new Shape[] {new Shape(s.get(0), s.get(1) + t.get(1))};
    }

    private FeatureMap[] split(FeatureMap packed) {
        long[] s = packed.shape();
        return new FeatureMap[] {FeatureMap.ofClip(new Shape(firstChannels, s[1], s[2], s[3])),
            FeatureMap.ofClip(new Shape(secondChannels, s[1], s[2], s[3]))};
    }

    private FeatureMap join(FeatureMap s, FeatureMap t) {
        FeatureMap a = pooled ? s.poolAll().flatten() : s;
        FeatureMap b = pooled ? t.poolAll().flatten() : t;
        return a.withChannels(a.channels() + b.channels());
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap[] parts = split(in);
        return join(profiler.visit(first, parts[0]), profiler.visit(second, parts[1]));
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap[] parts = split(in);
        return join(profiler.rows(Profiler.childName(name, firstName), first, parts[0]),
                profiler.rows(Profiler.childName(name, secondName), second, parts[1]));
    }

    @Override
    public String label(FeatureMap in) {
        return label;
    }
}

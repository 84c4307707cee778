package dev.kinema.models.avsync;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Profiler;

/**
 * The synchronisation network's body (Owens and Efros 2018, small): the visual 3D CNN's map
 * N×Cv×T'×H'×W' and the audio CNN's map averaged over frequency, N×Ca×T'', its time steps averaged
 * in groups down to the T' of the visual map, tiled over space, and concatenated to the visual map
 * along the channels. A 3D convolution then sees, at each place and time, what moves there and what
 * is heard then, before anything is pooled, so the network can compare when things happen in the two
 * streams (mid-level "early" fusion; pooling first, as {@code av-mid} does, would lose the timing).
 * The output is the fused map globally averaged, N×Cf.
 */
final class SyncFusion extends PackedAudioVisual {
    private final Block fusion;
    private final long fusedChannels;

    SyncFusion(Block visual, Block audio, Block fusion, long fusedChannels) {
        super("AudioVisualSync", visual, audio);
        this.fusion = addChildBlock("fusion", fusion);
        this.fusedChannels = fusedChannels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray[] maps = trunks(store, inputs.singletonOrThrow(), training);
        NDArray v = maps[0];
        Shape vs = v.getShape();
        Shape as = maps[1].getShape();
        long groups = timeGroups(vs, as);
        NDArray a = maps[1].mean(new int[] {2})
                .reshape(as.get(0), as.get(1), vs.get(2), groups).mean(new int[] {3})
                .reshape(as.get(0), as.get(1), vs.get(2), 1, 1)
                .broadcast(new Shape(as.get(0), as.get(1), vs.get(2), vs.get(3), vs.get(4)));
        NDArray fused = fusion.forward(store, new NDList(v.concat(a, 1)), training, params).singletonOrThrow();
        Shape fs = fused.getShape();
        return new NDList(fused.reshape(fs.get(0), fs.get(1), -1).mean(new int[] {2}));
    }

    /** Audio time steps per visual one: the audio map's must be a whole multiple of the visual map's. */
    private static long timeGroups(Shape visualMap, Shape audioMap) {
        long tv = visualMap.get(2);
        long ta = audioMap.get(3);
        if (tv < 1 || ta < tv || ta % tv != 0) {
            throw new IllegalArgumentException("the audio map's " + ta + " time steps do not divide into the visual map's "
                    + tv + ": choose frames and size so the log-mel plane (T*H*W/64 frames, /16 in the audio CNN) is a"
                    + " multiple of T/2");
        }
        return ta / tv;
    }

    private Shape fusedInput(Shape packed) {
        Shape[] t = trunkShapes(packed);
        timeGroups(t[0], t[1]);
        return new Shape(t[0].get(0), t[0].get(1) + t[1].get(1), t[0].get(2), t[0].get(3), t[0].get(4));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] in = inputs(inputShapes[0]);
        visual.initialize(manager, dataType, in[0]);
        audio.initialize(manager, dataType, in[1]);
        fusion.initialize(manager, dataType, fusedInput(inputShapes[0]));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape fused = fusedInput(inputShapes[0]);
        return new Shape[] {new Shape(fused.get(0), fusedChannels)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap[] maps = profileTrunks(in, profiler, null);
        return profiler.visit(fusion, joined(maps)).poolAll().flatten();
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap[] maps = profileTrunks(in, profiler, name);
        return profiler.rows(Profiler.childName(name, "fusion"), fusion, joined(maps)).poolAll().flatten();
    }

    private static FeatureMap joined(FeatureMap[] maps) {
        return maps[0].withChannels(maps[0].channels() + maps[1].channels());
    }
}

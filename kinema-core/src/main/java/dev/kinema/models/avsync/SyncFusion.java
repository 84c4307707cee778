package dev.kinema.models.avsync;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.Axis;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Profiler;

/**
 * The synchronisation network's body (after Owens and Efros 2018, small), which asks whether what is
 * seen and what is heard change at the same times. Per time step of the visual map it takes what
 * happened anywhere in the frame: the visual 3D CNN's map N×Cv×T'×H'×W' reduced over space by its
 * maximum (a disc's bounce fills one of the H'×W' places, which an average would dilute 64-fold at
 * 32×32). Per time step it takes what was heard: the audio CNN's map averaged over frequency,
 * N×Ca×T'', its time steps averaged in groups down to T'. Each is projected to D channels at every
 * time step (a 1×1×1 convolution, BN, ReLU: D event detectors per stream), and the output, N×D, is
 * each channel's covariance over time between the two streams, {@code mean_t (v_t − v̄)(a_t − ā)}.
 *
 * <p>Why a covariance: the negatives are the same video's sound moved in time, so the hum and
 * everything else constant over the clip are the same in aligned and shifted pairs; only when the
 * rings come differs. Subtracting the means removes what is constant; what remains is large when a
 * visual event and a sound event fall in the same time steps (a bounce and its ring) and near zero,
 * on average, when the sound is moved. Its gradient reaches each stream's detectors directly through
 * the other's (a product, not a sum passed through a ReLU), which is what lets so few updates learn
 * anything. The classifier weighs the D covariances into the aligned-vs-shifted logit.
 */
final class SyncFusion extends PackedAudioVisual {
    private final Block visualEvents;
    private final Block audioEvents;
    private final long events;

    SyncFusion(Block visual, Block audio, Block visualEvents, Block audioEvents, long events) {
        super("AudioVisualSync", visual, audio);
        this.visualEvents = addChildBlock("visual_events", visualEvents);
        this.audioEvents = addChildBlock("audio_events", audioEvents);
        this.events = events;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray[] maps = trunks(store, inputs.singletonOrThrow(), training);
        Shape vs = maps[0].getShape();
        Shape as = maps[1].getShape();
        long groups = timeGroups(vs, as);
        NDArray seen = maps[0].reshape(vs.get(0), vs.get(1), vs.get(2), -1).max(new int[] {3})
                .reshape(vs.get(0), vs.get(1), vs.get(2), 1, 1);
        NDArray heard = maps[1].mean(new int[] {2})
                .reshape(as.get(0), as.get(1), vs.get(2), groups).mean(new int[] {3})
                .reshape(as.get(0), as.get(1), vs.get(2), 1, 1);
        NDArray v = centredOverTime(visualEvents.forward(store, new NDList(seen), training).singletonOrThrow());
        NDArray a = centredOverTime(audioEvents.forward(store, new NDList(heard), training).singletonOrThrow());
        return new NDList(v.mul(a).mean(new int[] {2}));
    }

    /** N×D×T×1×1 to N×D×T, each channel minus its mean over time. */
    private static NDArray centredOverTime(NDArray x) {
        Shape s = x.getShape();
        NDArray series = x.reshape(s.get(0), s.get(1), s.get(2));
        return series.sub(series.mean(new int[] {2}, true));
    }

    /**
     * Audio time steps per visual one: the audio map's must be a whole multiple of the visual map's,
     * and a covariance over time needs two steps at least.
     */
    private static long timeGroups(Shape visualMap, Shape audioMap) {
        return timeGroups(visualMap.get(2), audioMap.get(3));
    }

    private static long timeGroups(long tv, long ta) {
        if (tv < 2 || ta < tv || ta % tv != 0) {
            throw new IllegalArgumentException("the audio map's " + ta + " time steps do not divide into the visual map's "
                    + tv + " (at least 2): choose frames and size so the visual map keeps 2 steps or more (T/2) and the"
                    + " log-mel plane (T*H*W/64 frames, /16 in the audio CNN) is a multiple of them");
        }
        return ta / tv;
    }

    /** The per-time inputs of the two projections: the visual and the audio channels at T' steps. */
    private Shape[] perTime(Shape packed) {
        Shape[] t = trunkShapes(packed);
        timeGroups(t[0], t[1]);
        return new Shape[] {new Shape(t[0].get(0), t[0].get(1), t[0].get(2), 1, 1),
            new Shape(t[0].get(0), t[1].get(1), t[0].get(2), 1, 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] in = inputs(inputShapes[0]);
        visual.initialize(manager, dataType, in[0]);
        audio.initialize(manager, dataType, in[1]);
        Shape[] perTime = perTime(inputShapes[0]);
        visualEvents.initialize(manager, dataType, perTime[0]);
        audioEvents.initialize(manager, dataType, perTime[1]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(perTime(inputShapes[0])[0].get(0), events)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap[] maps = checkedTimes(profileTrunks(in, profiler, null));
        return covariance(profiler.visit(visualEvents, overSpace(maps[0])),
                profiler.visit(audioEvents, overSpace(maps[0]).withChannels(maps[1].channels())), profiler);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap[] maps = checkedTimes(profileTrunks(in, profiler, name));
        return covariance(profiler.rows(Profiler.childName(name, "visual_events"), visualEvents, overSpace(maps[0])),
                profiler.rows(Profiler.childName(name, "audio_events"), audioEvents,
                        overSpace(maps[0]).withChannels(maps[1].channels())), profiler);
    }

    /** The trunks' maps (visual C×T'×H'×W', audio C×F'×T''), once their time steps are known to pair up. */
    private static FeatureMap[] checkedTimes(FeatureMap[] maps) {
        timeGroups(maps[0].shape()[1], maps[1].shape()[2]);
        return maps;
    }

    /** A map reduced over space, time kept: the per-time input of the projections. */
    private static FeatureMap overSpace(FeatureMap map) {
        return map.withOpDims(map.opDims().stream().map(d -> d.axis() == Axis.T ? d : d.whole()).toList());
    }

    /** The centred products (one multiply-add per channel and step) and their mean over time: D per clip. */
    private FeatureMap covariance(FeatureMap visualEventMap, FeatureMap audioEventMap, Profiler profiler) {
        profiler.count(0, visualEventMap.elements());
        return visualEventMap.poolAll().flatten();
    }
}

package dev.kinema.models.avsync;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.engine.Scalars;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.Profiler;

/**
 * The correspondence network's body ("Objects that Sound", Arandjelović and Zisserman 2018, small):
 * the visual map projected to D channels at every place and time (a 1×1×1 convolution), the audio
 * map pooled and projected to one D vector (a linear layer), both L2-normalised; their cosine at
 * each position of the visual map is the {@link #similarity similarity map}, the localisation heat
 * map, and its maximum over positions, N×1 (times {@link #SCALE}), is what the classifier (a learned scale and
 * bias) turns into the correspondence logit: a sound corresponds to a clip when something in it looks like it.
 */
public final class CorrespondenceMaps extends PackedAudioVisual {
    private static final float EPSILON = 1e-6f;
    /**
     * The maximum cosine is multiplied by this before the classifier, as CLIP's logit scale starts
     * at 1/0.07: a cosine in [-1, 1] would need a classifier weight near 10 for a confident logit,
     * which takes thousands of small steps to learn.
     */
    static final float SCALE = 10f;

    private final Block visualProjection;
    private final Block audioProjection;
    private final long embedding;

    CorrespondenceMaps(Block visual, Block audio, Block visualProjection, Block audioProjection, long embedding) {
        super("AudioVisualCorrespondence", visual, audio);
        this.visualProjection = addChildBlock("visual_proj", visualProjection);
        this.audioProjection = addChildBlock("audio_proj", audioProjection);
        this.embedding = embedding;
    }

    /**
     * The cosine between the clip's sound and each position of its visual map, N×T'×H'×W' in [-1, 1]
     * (T' = T/2, H' = H/4, W' = W/4 for the default trunk).
     */
    public NDArray similarity(ParameterStore store, NDArray packed, boolean training) {
        NDArray[] maps = trunks(store, packed, training);
        NDArray v = unit(visualProjection.forward(store, new NDList(maps[0]), training).singletonOrThrow());
        Shape as = maps[1].getShape();
        NDArray pooled = maps[1].reshape(as.get(0), as.get(1), -1).mean(new int[] {2});
        NDArray a = unit(audioProjection.forward(store, new NDList(pooled), training).singletonOrThrow());
        Shape vs = v.getShape();
        return v.mul(a.reshape(vs.get(0), vs.get(1), 1, 1, 1)).sum(new int[] {1});
    }

    /** Each vector along axis 1 scaled to unit length. */
    private static NDArray unit(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).add(EPSILON).sqrt());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray sim = similarity(store, inputs.singletonOrThrow(), training);
        return new NDList(Scalars.mul(sim.reshape(sim.getShape().get(0), -1).max(new int[] {1}, true), SCALE));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape[] in = inputs(inputShapes[0]);
        visual.initialize(manager, dataType, in[0]);
        audio.initialize(manager, dataType, in[1]);
        Shape[] t = trunkShapes(inputShapes[0]);
        visualProjection.initialize(manager, dataType, t[0]);
        audioProjection.initialize(manager, dataType, new Shape(t[1].get(0), t[1].get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] t = trunkShapes(inputShapes[0]);
        return new Shape[] {new Shape(t[0].get(0), 1)};
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        FeatureMap[] maps = profileTrunks(in, profiler, null);
        return heads(profiler.visit(visualProjection, maps[0]), profiler.visit(audioProjection, maps[1].poolAll().flatten()),
                profiler);
    }

    @Override
    public FeatureMap profileRows(String name, FeatureMap in, Profiler profiler) {
        FeatureMap[] maps = profileTrunks(in, profiler, name);
        return heads(profiler.rows(Profiler.childName(name, "visual_proj"), visualProjection, maps[0]),
                profiler.rows(Profiler.childName(name, "audio_proj"), audioProjection, maps[1].poolAll().flatten()), profiler);
    }

    /** The cosines (D multiply-adds per position) and their maximum: one value per clip. */
    private FeatureMap heads(FeatureMap visualEmbedding, FeatureMap audioEmbedding, Profiler profiler) {
        long positions = visualEmbedding.elements() / visualEmbedding.channels();
        profiler.count(0, embedding * positions);
        return visualEmbedding.withChannels(1).poolAll().flatten();
    }
}

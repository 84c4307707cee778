package dev.kinema.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.weights.NamedBlock;
import java.util.Objects;

/**
 * A video classifier: a DJL {@link Block} that takes clips N×C×T×H×W (float, as
 * {@link dev.kinema.data.transforms.ToTensor} makes with {@code Layout.CTHW}, stacked) and returns
 * class scores N×numClasses.
 *
 * <p>Every model has the same API (after timm): {@code forward = forwardHead(forwardFeatures(x))},
 * where features are the backbone's output before any global pooling; its parameter count; its cost
 * in multiply-adds (MACs) for any input shape; and a {@linkplain #layerTable() per-layer table} of
 * output shape, parameters, MACs and receptive field (T×H×W).
 *
 * <p><b>FLOPs are MACs.</b> {@link #macs} counts one multiply-add as one operation, for convolutions
 * and fully connected layers only, the convention of the lecture's tables, torchvision's published
 * GFLOPS and fvcore (see {@link Profiler}). Multiply by 2 for the other convention.
 *
 * <p><b>Training and inference.</b> {@code forward(..., training=true)} gives logits for
 * cross-entropy. {@code forward(..., training=false)} gives scores whose softmax is the model's
 * class probabilities; for most models those are the same logits, for {@code single-frame} they are
 * the log of the per-frame probabilities averaged over frames (see
 * {@link dev.kinema.nn.FrameConsensus}). So to average several clips of a video, average
 * {@link #predictProbabilities} (softmax of the inference output) over them, for every model alike.
 */
public final class VideoModel extends AbstractBlock implements Profiled, NamedBlock {
    private static final byte VERSION = 1;

    private final String name;
    private final ModelConfig config;
    private final Block features;
    private final Block head;

    /**
     * A model made of a feature extractor and a head; the registry's factories build these, and so
     * can a custom model registered with {@link ModelRegistry#register}.
     */
    public VideoModel(String name, ModelConfig config, Block features, Block head) {
        super(VERSION);
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.features = addChildBlock("features", features);
        this.head = addChildBlock("head", head);
    }

    /** The registry name, e.g. {@code c3d}. */
    public String name() {
        return name;
    }

    /** The config it was built with (defaults filled in). */
    public ModelConfig config() {
        return config;
    }

    /** The clip it expects, C×T×H×W (no batch axis). */
    public Shape inputShape() {
        return config.inputShape();
    }

    /** The feature extractor, clips to feature maps. */
    public Block features() {
        return features;
    }

    /** The head, feature maps to class scores. */
    public Block head() {
        return head;
    }

    /** Clips N×C×T×H×W to the backbone's feature maps (before global pooling). */
    public NDList forwardFeatures(ParameterStore parameterStore, NDList clips, boolean training) {
        checkClips(clips);
        return features.forward(parameterStore, clips, training);
    }

    /** Feature maps to class scores N×numClasses. */
    public NDList forwardHead(ParameterStore parameterStore, NDList featureMaps, boolean training) {
        return head.forward(parameterStore, featureMaps, training);
    }

    /**
     * Class probabilities N×numClasses for clips N×C×T×H×W: softmax of the inference output. For
     * {@code single-frame} this is the mean of the per-frame probabilities.
     */
    public NDArray predictProbabilities(ParameterStore parameterStore, NDArray clips) {
        return forward(parameterStore, new NDList(clips), false).singletonOrThrow().softmax(1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        checkClips(inputs);
        NDList f = features.forward(parameterStore, inputs, training, params);
        return head.forward(parameterStore, f, training, params);
    }

    private void checkClips(NDList inputs) {
        Shape s = inputs.head().getShape();
        if (s.dimension() != 5 || s.get(1) != config.channels()) {
            throw new IllegalArgumentException(name + " takes clips N x " + config.channels() + " x T x H x W, got " + s);
        }
    }

    /** Parameters for a batch of one default clip, in the model's manager; for quick use outside a Trainer. */
    public void initialize(NDManager manager) {
        initialize(manager, DataType.FLOAT32, new Shape(1).addAll(inputShape()));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        features.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, features.getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return head.getOutputShapes(features.getOutputShapes(inputShapes));
    }

    /** The per-layer table for the clip this model expects. */
    public LayerTable layerTable() {
        return layerTable(inputShape());
    }

    /**
     * The per-layer table for one clip of shape C×T×H×W: output shape, trainable parameters, MACs and
     * receptive field of every layer, and totals.
     *
     * @throws IllegalArgumentException naming the layer, if the clip is too small for the network
     */
    public LayerTable layerTable(Shape clip) {
        return Profiler.profile(this, clip);
    }

    /** Trainable parameters (as PyTorch counts them: no BatchNorm running statistics). */
    public long parameterCount() {
        return layerTable().totalParams();
    }

    /** Multiply-adds for one clip of the expected shape. */
    public long macs() {
        return layerTable().totalMacs();
    }

    /** Multiply-adds for one clip of shape C×T×H×W. */
    public long macs(Shape clip) {
        return layerTable(clip).totalMacs();
    }

    @Override
    public FeatureMap profile(FeatureMap in, Profiler profiler) {
        return profiler.visit(head, profiler.visit(features, in));
    }

    @Override
    public FeatureMap profileRows(String prefix, FeatureMap in, Profiler profiler) {
        return profiler.rows(prefix, head, profiler.rows(prefix, features, in));
    }

    @Override
    public String label(FeatureMap in) {
        return name;
    }

    @Override
    public String toString() {
        return name + " " + config;
    }
}

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
import dev.kinema.models.heads.Classifier;
import dev.kinema.nn.FeatureMap;
import dev.kinema.nn.LayerTable;
import dev.kinema.nn.NamedSequential;
import dev.kinema.nn.PreLogits;
import dev.kinema.nn.Profiled;
import dev.kinema.nn.Profiler;
import dev.kinema.nn.Staged;
import dev.kinema.weights.NamedBlock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A video classifier: a DJL {@link Block} that takes clips N×C×T×H×W (float, as
 * {@link dev.kinema.data.transforms.ToTensor} makes with {@code Layout.CTHW}, stacked) and returns
 * class scores N×numClasses.
 *
 * <p>Every model has the same API (after timm): {@code forward = forwardHead(forwardFeatures(x))},
 * where features are the backbone's output before any global pooling;
 * {@link #forwardHead(ParameterStore, NDList, boolean, boolean) forwardHead(..., preLogits)} for the
 * pooled features the classifier sees; {@link #forwardIntermediates} for every stage's output
 * (what detection and localisation heads take); {@link #resetClassifier} for a new number of
 * classes (fine-tuning); its parameter count; its cost
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
    private ModelConfig config;
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
     * Feature maps to class scores N×numClasses or, when {@code preLogits}, to the features the
     * classifier takes, N×D: globally pooled (and, where the head has them, through its hidden
     * layers: {@code late-fusion-fc}'s MLP, C3D's fc6 and fc7, X3D's 2048-wide projection);
     * {@code single-frame} averages its per-frame features. For {@code two-stream}, whose classifiers
     * are the streams' own, they are the two streams' class scores side by side, N×2·numClasses.
     */
    public NDList forwardHead(ParameterStore parameterStore, NDList featureMaps, boolean training, boolean preLogits) {
        return head.forward(parameterStore, featureMaps, training, preLogits ? PreLogits.params() : null);
    }

    /**
     * The backbone's stage outputs for clips N×C×T×H×W, in forward order, by module path as in the
     * layer table and the parameter names: e.g. {@code stem}, {@code layer1} .. {@code layer4}
     * (video ResNets), {@code blocks.0} .. {@code blocks.4} (SlowFast, one array per pathway, slow
     * then fast; X3D), {@code Conv3d_1a_7x7} .. {@code Mixed_5c} (I3D). Maps keep the clip layout
     * N×C'×T'×H'×W', except TSM's, which are per frame ((N·T)×C'×H'×W') until {@code clips}. The
     * last entry is {@link #forwardFeatures}' output, what the head takes. A model whose features
     * have no stages (two-stream's streams) gives one entry, {@code features}. The arrays belong to
     * the caller's manager, as any forward pass's.
     */
    public Map<String, NDList> forwardIntermediates(ParameterStore parameterStore, NDList clips, boolean training) {
        checkClips(clips);
        Map<String, NDList> stages = new LinkedHashMap<>();
        if (features instanceof Staged staged) {
            staged.forwardStages(parameterStore, clips, training, "", stages);
        } else {
            stages.put("features", features.forward(parameterStore, clips, training));
        }
        return Collections.unmodifiableMap(stages);
    }

    /**
     * Replaces the classifier for {@code numClasses} classes (timm's {@code reset_classifier}):
     * the head's last layer, every one of them where the model has several (a two-stream model's
     * streams), keeping every other parameter. {@link #config()} then says {@code numClasses}.
     *
     * <p>The new classifier is <b>uninitialised</b> until the model is initialised again
     * ({@link #initialize(NDManager)}, {@code Trainer}'s initialisation), which fills in only the
     * parameters that have no value, so trained or loaded weights of the rest stay. Call it before
     * handing the model's parameters to a trainer.
     *
     * @throws IllegalArgumentException if {@code numClasses} is below 1
     */
    public void resetClassifier(int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException(name + ": numClasses must be >= 1, got " + numClasses);
        }
        int replaced = resetClassifiers(features, numClasses) + resetClassifiers(head, numClasses);
        if (replaced == 0) {
            throw new IllegalStateException(name + " has no classifier to reset");
        }
        config = config.toBuilder().setNumClasses(numClasses).build();
    }

    /** Replaces the classifiers inside {@code block}; returns how many. */
    private static int resetClassifiers(Block block, int numClasses) {
        if (block instanceof VideoModel nested) {
            nested.resetClassifier(numClasses);
            return 1;
        }
        int replaced = 0;
        if (block instanceof NamedSequential seq) {
            for (String child : seq.names()) {
                if (seq.get(child) instanceof Classifier c) {
                    seq.replace(child, c.withClasses(numClasses));
                    replaced++;
                }
            }
        }
        for (Block child : block.getChildren().values()) {
            if (child instanceof Classifier && !(block instanceof NamedSequential)) {
                throw new IllegalStateException("a classifier inside " + block.getClass().getSimpleName()
                        + ", which cannot replace it; put it in a NamedSequential");
            }
            if (!(child instanceof Classifier)) {
                replaced += resetClassifiers(child, numClasses);
            }
        }
        return replaced;
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

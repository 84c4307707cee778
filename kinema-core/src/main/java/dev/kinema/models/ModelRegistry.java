package dev.kinema.models;

import dev.kinema.engine.EngineGuard;
import dev.kinema.nn.Profiler;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every model by name, and the one way to build them (after timm's {@code list_models} /
 * {@code create_model}).
 *
 * <pre>{@code
 * ModelRegistry.listModels();   // [single-frame, late-fusion-fc, ..., toy-3d]
 * VideoModel model = ModelRegistry.create("c3d", ModelConfig.builder().setNumClasses(16).build());
 * model.inputShape();           // (3, 16, 112, 112): unset frames and size take the model's defaults
 * }</pre>
 *
 * <p>Every model takes clips N×C×T×H×W and returns N×numClasses scores.
 */
public final class ModelRegistry {
    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    private record Entry(ModelInfo info, Function<ModelConfig, VideoModel> factory) {}

    static {
        List<String> backbones = Backbone.names();
        ModelConfig frameDefaults = defaults(400, 8, 112, Backbone.SMALL.cliName());
        ModelConfig clipDefaults = defaults(400, 8, 112, null);
        ModelConfig toyDefaults = defaults(10, 20, 64, null);
        register(new ModelInfo("single-frame",
                "2D CNN on every frame; at test time the per-frame class probabilities are averaged",
                frameDefaults, backbones), FrameModels::singleFrame);
        register(new ModelInfo("late-fusion-fc",
                "2D CNN on every frame; the T x D x H' x W' features, concatenated, feed an MLP",
                frameDefaults, backbones), FrameModels::lateFusionFc);
        register(new ModelInfo("late-fusion-pool",
                "2D CNN on every frame; average over space and time, then a linear layer",
                frameDefaults, backbones), FrameModels::lateFusionPool);
        register(new ModelInfo("early-fusion",
                "frames stacked as 3T x H x W; the first 2D conv sees every frame",
                frameDefaults, backbones), FrameModels::earlyFusion);
        register(new ModelInfo("slow-fusion",
                "3D CNN: 3x3x3 convs and 3D max pooling throughout, global pool, linear",
                clipDefaults, List.of()), Cnn3dModels::slowFusion);
        register(new ModelInfo("tiny-3d",
                "smallest useful 3D CNN: Conv3D 8 (stride 1x2x2), MaxPool3D(1x2x2), Conv3D 16, global pool, linear",
                defaults(400, 8, 56, null), List.of()), Cnn3dModels::tiny3d);
        register(new ModelInfo("c3d",
                "C3D (Tran et al. 2015), the lecture's table: 8 3x3x3 convs, 5 pools, fc6/fc7 4096",
                defaults(487, 16, 112, null), List.of()), Cnn3dModels::c3d);
        register(new ModelInfo("toy-late-fusion",
                "lecture toy: per-frame Conv2D(3x3, 3->12), Pool2D(4x4), Conv2D(3x3, 12->24), global pool",
                toyDefaults, List.of()), ToyModels::lateFusion);
        register(new ModelInfo("toy-early-fusion",
                "lecture toy: Conv2D(3x3, 3T->12), Pool2D(4x4), Conv2D(3x3, 12->24), global pool",
                toyDefaults, List.of()), ToyModels::earlyFusion);
        register(new ModelInfo("toy-3d",
                "lecture toy: Conv3D(3x3x3, 3->12), Pool3D(4x4x4), Conv3D(3x3x3, 12->24), global pool",
                toyDefaults, List.of()), ToyModels::cnn3d);
        register(TwoStreamModels.SPATIAL_STREAM, TwoStreamModels::spatialStream);
        register(TwoStreamModels.TEMPORAL_STREAM, TwoStreamModels::temporalStream);
        register(TwoStreamModels.TWO_STREAM, TwoStreamModels::twoStream);
        register(TwoStreamModels.TWO_STREAM_LINEAR, TwoStreamModels::twoStreamLinear);
        register(new ModelInfo("i3d",
                "I3D (Carreira & Zisserman 2017): Inception-v1 inflated to 3D, RGB (names as piergiaj/pytorch-i3d)",
                defaults(400, 64, 224, null), List.of()), I3d::rgb);
        register(new ModelInfo("i3d-flow",
                "I3D on optical flow: 2-channel (x, y) clips, otherwise as i3d",
                defaults(400, 64, 224, null).toBuilder().optChannels(2).build(), List.of()), I3d::flow);
        ModelConfig videoResNetDefaults = defaults(400, 16, 112, null);
        register(new ModelInfo("r3d_18",
                "R3D-18 (Tran et al. 2018, torchvision): ResNet-18 with 3x3x3 convs throughout",
                videoResNetDefaults, List.of()), VideoResNet::r3d18);
        register(new ModelInfo("mc3_18",
                "MC3-18 (torchvision): 3D convs in the stem and layer1, 2D (1x3x3) convs in layer2-4",
                videoResNetDefaults, List.of()), VideoResNet::mc318);
        register(new ModelInfo("r2plus1d_18",
                "R(2+1)D-18 (torchvision): every 3x3x3 conv factored into 1x3x3 spatial + 3x1x1 temporal",
                videoResNetDefaults, List.of()), VideoResNet::r2plus1d18);
        register(new ModelInfo("r2plus1d_34",
                "R(2+1)D-34: the (2+1)D network with 3, 4, 6, 3 blocks per stage",
                videoResNetDefaults, List.of()), VideoResNet::r2plus1d34);
        register(new ModelInfo("tsm_r18",
                "TSM (Lin et al. 2019): torchvision ResNet-18 per frame, temporal shift in every block, logits averaged",
                defaults(400, 8, 224, null), List.of()), Tsm::r18);
        register(new ModelInfo("tsm_r50",
                "TSM (Lin et al. 2019): torchvision ResNet-50 per frame, temporal shift in every block, logits averaged",
                defaults(400, 8, 224, null), List.of()), Tsm::r50);
        register(new ModelInfo("slowfast_r50",
                "SlowFast R50 8x8 (PyTorchVideo): slow pathway on T/4 frames, fast on all T with 1/8 channels, lateral convs",
                defaults(400, 32, 224, null), List.of()), SlowFast::slowfastR50);
        register(new ModelInfo("x3d_xs",
                "X3D-XS (PyTorchVideo): depthwise 3x3x3 bottlenecks, squeeze-excitation, Swish; 4 x 160 x 160",
                defaults(400, 4, 160, null), List.of()), X3d::xs);
        register(new ModelInfo("x3d_s",
                "X3D-S (PyTorchVideo): the X3D-XS network on 13 x 160 x 160 clips",
                defaults(400, 13, 160, null), List.of()), X3d::s);
        register(new ModelInfo("x3d_m",
                "X3D-M (PyTorchVideo): the X3D-XS network on 16 x 224 x 224 clips",
                defaults(400, 16, 224, null), List.of()), X3d::m);
    }

    private ModelRegistry() {}

    /** Model names, in registration order. */
    public static synchronized List<String> listModels() {
        return List.copyOf(MODELS.keySet());
    }

    /** Every model's info, in registration order. */
    public static synchronized List<ModelInfo> models() {
        List<ModelInfo> l = new ArrayList<>();
        MODELS.values().forEach(e -> l.add(e.info()));
        return l;
    }

    /** The info of the model called {@code name}. */
    public static ModelInfo info(String name) {
        return entry(name).info();
    }

    /** The model called {@code name} with its default config but {@code numClasses} classes. */
    public static VideoModel create(String name, int numClasses) {
        return create(name, ModelConfig.builder().setNumClasses(numClasses).build());
    }

    /**
     * Builds the model called {@code name}. Frames, size and backbone left unset in {@code config}
     * take the model's defaults. Parameters are not initialised (DJL initialises them from the input
     * shape, e.g. {@code Trainer.initialize} or {@link VideoModel#initialize(ai.djl.ndarray.NDManager)}).
     *
     * @throws IllegalArgumentException for an unknown name (listing the known ones), a backbone the
     *     model does not take, or a clip too small for the network (naming the layer)
     */
    public static VideoModel create(String name, ModelConfig config) {
        EngineGuard.ensureApplied();   // before any of the model's convolutions can run
        Entry e = entry(name);
        ModelInfo info = e.info();
        if (!info.takesBackbone() && config.backbone().isPresent()) {
            throw new IllegalArgumentException(name + " has a fixed architecture and takes no backbone (got '"
                    + config.backbone().get() + "'); models with a backbone: " + String.join(", ", withBackbones()));
        }
        ModelConfig resolved = config.withDefaults(info.defaults());
        resolved.backbone().ifPresent(b -> {
            if (!info.backbones().contains(b)) {
                throw new IllegalArgumentException("unknown backbone '" + b + "' for " + name + "; known backbones: "
                        + String.join(", ", info.backbones()));
            }
        });
        VideoModel model = e.factory().apply(resolved);
        try {
            model.layerTable();
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(name + " cannot take a "
                    + Profiler.dims(resolved.inputShape()) + " clip: " + ex.getMessage(), ex);
        }
        return model;
    }

    /**
     * Adds a model. {@code factory} gets a config with frames, size and backbone filled in and must
     * return a model that takes N×C×T×H×W and returns N×numClasses.
     */
    public static synchronized void register(ModelInfo info, Function<ModelConfig, VideoModel> factory) {
        if (MODELS.containsKey(info.name())) {
            throw new IllegalArgumentException("a model called '" + info.name() + "' is already registered");
        }
        MODELS.put(info.name(), new Entry(info, factory));
    }

    private static synchronized Entry entry(String name) {
        Entry e = MODELS.get(name);
        if (e == null) {
            throw new IllegalArgumentException("unknown model '" + name + "'; known models: "
                    + String.join(", ", MODELS.keySet()));
        }
        return e;
    }

    private static synchronized List<String> withBackbones() {
        return MODELS.values().stream().filter(x -> x.info().takesBackbone()).map(x -> x.info().name()).toList();
    }

    private static ModelConfig defaults(int classes, int frames, int size, String backbone) {
        ModelConfig.Builder b = ModelConfig.builder().setNumClasses(classes).optFrames(frames).optSize(size);
        if (backbone != null) {
            b.optBackbone(backbone);
        }
        return b.build();
    }
}

package dev.kinema.models;

import dev.kinema.engine.EngineGuard;
import dev.kinema.nn.Profiler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
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
 * <p>Every model takes clips N×C×T×H×W and returns N×numClasses scores. The models come from the
 * {@link ModelFamily} implementations on the class path (one per family package, found by
 * {@link ServiceLoader}), in the families' {@linkplain ModelFamily#order() order}; {@link #register}
 * adds one more at run time.
 */
public final class ModelRegistry {
    private static final Map<String, Entry> MODELS = new LinkedHashMap<>();

    private record Entry(ModelInfo info, Function<ModelConfig, VideoModel> factory) {}

    static {
        List<ModelFamily> families = new ArrayList<>();
        ServiceLoader.load(ModelFamily.class, ModelRegistry.class.getClassLoader()).forEach(families::add);
        families.sort(Comparator.comparingInt(ModelFamily::order));
        for (int i = 1; i < families.size(); i++) {
            if (families.get(i).order() == families.get(i - 1).order()) {
                throw new IllegalStateException("model families " + families.get(i - 1).getClass().getName() + " and "
                        + families.get(i).getClass().getName() + " both take order " + families.get(i).order());
            }
        }
        for (ModelFamily family : families) {
            family.models().forEach(m -> register(m.info(), m.factory()));
        }
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
        checkInput(name, resolved, model);
        if (!resolved.nonLocal().isEmpty()) {
            NonLocalInsertion.insert(model, resolved.nonLocal());
            checkInput(name, resolved, model);
        }
        return model;
    }

    private static void checkInput(String name, ModelConfig resolved, VideoModel model) {
        try {
            model.layerTable();
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(name + " cannot take a "
                    + Profiler.dims(resolved.inputShape()) + " clip: " + ex.getMessage(), ex);
        }
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
}

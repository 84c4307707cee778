package dev.kinema.recipes;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.weights.LoadReport;
import dev.kinema.weights.NameMapping;
import dev.kinema.weights.SafetensorsFile;
import dev.kinema.weights.WeightLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * Where a model and its weights come from, given one of two ways: a registry {@code model} with a
 * safetensors file of {@code weights} (how the file's names map, how strictly they must match, and
 * the number of classes, read from the file's classifier unless given), or a {@code torchscript}
 * file that holds its own model. {@link #load} builds the registry model with the weights in it,
 * like timm's {@code create_model(name, pretrained=True)}.
 *
 * @param model registry name, with {@code weights}; null with {@code torchscript}
 * @param weights a {@code .safetensors} file, with {@code model}
 * @param torchscript a TorchScript {@code .pt} file, alone
 * @param mapping the {@code NameMapping}'s name, or null for the card's (else {@value #DEFAULT_MAPPING})
 * @param lenient load the tensors that match and report the rest instead of failing
 * @param classes classes the model predicts, or null to read them from the file
 */
public record ModelSource(String model, Path weights, Path torchscript, String mapping, boolean lenient,
        Integer classes) {
    /** The mapping when neither the caller nor a model card names one. */
    public static final String DEFAULT_MAPPING = "torchvision";

    /** A model with the weights in it, how they matched, and where its number of classes came from. */
    public record Loaded(VideoModel model, LoadReport report, int classes, String classesFrom) {}

    /**
     * @throws IllegalArgumentException unless the weights are given one way: {@code --model} with
     *     {@code --weights}, or {@code --torchscript} alone (the options' names, which the library's
     *     parameters follow)
     */
    public ModelSource {
        if (torchscript != null && (model != null || weights != null)) {
            throw new IllegalArgumentException("--torchscript holds its own model: give it without --model and --weights");
        }
        if (torchscript == null && (model == null || weights == null)) {
            throw new IllegalArgumentException("give --model NAME with --weights FILE.safetensors, or --torchscript FILE.pt");
        }
        if (classes != null && classes < 1) {
            throw new IllegalArgumentException("--classes must be at least 1, got " + classes);
        }
    }

    /** Safetensors weights for a registry model, names mapped as torchvision's, strictly. */
    public static ModelSource safetensors(String model, Path weights) {
        return new ModelSource(model, weights, null, null, false, null);
    }

    /** A TorchScript model, run as it is. */
    public static ModelSource torchScript(Path file) {
        return new ModelSource(null, null, file, null, false, null);
    }

    public boolean isTorchScript() {
        return torchscript != null;
    }

    /** This source with {@code fallback} as its mapping if it names none. */
    public ModelSource orMapping(String fallback) {
        return mapping != null || fallback == null ? this
                : new ModelSource(model, weights, torchscript, fallback, lenient, classes);
    }

    /** The mapping of the file's tensor names to Kinema's: the one given, else {@value #DEFAULT_MAPPING}. */
    public NameMapping nameMapping() {
        return NameMapping.named(mapping != null ? mapping : DEFAULT_MAPPING);
    }

    /**
     * Builds the registry model for clips of {@code frames}×{@code size}×{@code size} (null: the
     * model's default), initialises it and loads the weights. When the file does not match (strictly),
     * the exception names each tensor; a lenient load's {@link LoadReport} says what was left out.
     *
     * @param backbone the 2D backbone for models built on one, or null for the default
     * @param labelCount classes a label file fixes, or null
     * @param labelFile the label file, for messages, or null
     */
    public Loaded load(Integer frames, Integer size, String backbone, Integer labelCount, Path labelFile,
            NDManager manager) throws IOException {
        if (isTorchScript()) {
            throw new IllegalStateException(torchscript + " is a TorchScript model: it holds its own weights");
        }
        if (classes != null && labelCount != null && !classes.equals(labelCount)) {
            throw new IllegalArgumentException("--classes " + classes + " disagrees with the label file's "
                    + labelCount + " classes");
        }
        NameMapping names = nameMapping();
        try (SafetensorsFile file = SafetensorsFile.open(weights)) {
            ModelConfig.Builder config = ModelConfig.builder();
            if (frames != null) {
                config.optFrames(frames);
            }
            if (size != null) {
                config.optSize(size);
            }
            if (backbone != null) {
                config.optBackbone(backbone);
            }
            int n;
            String from;
            OptionalInt inFile = WeightLoader.classesIn(ModelRegistry.create(model, config.setNumClasses(1).build()),
                    file, names);
            if (labelCount != null && classes == null && inFile.isPresent() && inFile.getAsInt() != labelCount) {
                // Said here, not as a shape mismatch of the classifier's tensors, which blames the weights.
                throw new IllegalArgumentException((labelFile != null ? "--labels " + labelFile : "the label file")
                        + " names " + labelCount + " classes, but the classifier in " + weights + " has "
                        + inFile.getAsInt());
            }
            if (classes != null || labelCount != null) {
                n = classes != null ? classes : labelCount;
                from = classes != null ? "--classes" : "the label file";
            } else if (inFile.isPresent()) {
                n = inFile.getAsInt();
                from = "the weights' classifier";
            } else {
                n = ModelRegistry.info(model).defaults().numClasses();
                from = "the model's default (the weights have no classifier it recognises)";
            }
            VideoModel built = ModelRegistry.create(model, config.setNumClasses(n).build());
            built.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(built.inputShape()));
            LoadReport report = WeightLoader.builder().optLenient(lenient).optMapping(names).build().load(built, file);
            return new Loaded(built, report, n, from);
        }
    }
}

package dev.kinema.cli;

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
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/**
 * The options {@code run-model} and {@code import} share: the weights, either a safetensors file
 * for a registry model (with how its names map, how strictly they must match, and the number of
 * classes, read from the file's classifier unless given) or a TorchScript file that holds its own
 * model. {@link #load} builds the registry model and loads the weights into it.
 */
final class WeightsOptions {
    @Option(names = "--weights", paramLabel = "FILE", description = "Weights as .safetensors, for --model.")
    Path weights;

    @Option(names = "--torchscript", paramLabel = "FILE.pt",
            description = "A TorchScript model (torch.jit.trace/script, then .save), run as it is; instead of --model and --weights.")
    Path torchscript;

    /** The mapping when neither {@code --mapping} nor a model card names one. */
    static final String DEFAULT_MAPPING = "torchvision";

    @Option(names = "--mapping", paramLabel = "NAME",
            description = "How the file's tensor names map to Kinema's: torchvision (as is), pytorchvideo,"
                    + " mmaction2 (3D ResNets), mmaction2-2d (2D ResNets, MMAction2's TSM), tsm (the TSM authors'"
                    + " checkpoints); a leading 'module.' is always dropped (default: the card's, else torchvision).")
    String mapping;

    @Option(names = "--lenient", description = "Load the tensors that match and report the rest instead of failing.")
    boolean lenient;

    @Option(names = "--classes", paramLabel = "N",
            description = "Classes the model predicts (default: the rows of the file's classifier weight, else the"
                    + " model's default).")
    Integer classes;

    /** A model with the weights in it, and how they matched. */
    record Loaded(VideoModel model, LoadReport report, int classes, String classesFrom) {}

    /**
     * Checks that the weights are given one way: {@code --model} with {@code --weights}, or
     * {@code --torchscript} alone.
     */
    void requireOneSource(String model) {
        if (torchscript != null && (model != null || weights != null)) {
            throw new IllegalArgumentException("--torchscript holds its own model: give it without --model and --weights");
        }
        if (torchscript == null && (model == null || weights == null)) {
            throw new IllegalArgumentException("give --model NAME with --weights FILE.safetensors, or --torchscript FILE.pt");
        }
    }

    NameMapping mapping() {
        return NameMapping.named(mapping != null ? mapping : DEFAULT_MAPPING);
    }

    /**
     * Builds {@code name} for clips of {@code frames}×{@code size}×{@code size} (null: the model's
     * default), initialises it for {@code batch1Shape}'s channels and loads the weights.
     *
     * @param labelCount classes a label file fixes, or null
     * @param backbone the 2D backbone for models built on one, or null for the default
     */
    Loaded load(String name, Integer frames, Integer size, String backbone, Integer labelCount, NDManager manager,
            PrintWriter err) throws IOException {
        if (classes != null && classes < 1) {
            throw new IllegalArgumentException("--classes must be at least 1, got " + classes);
        }
        if (classes != null && labelCount != null && !classes.equals(labelCount)) {
            throw new IllegalArgumentException("--classes " + classes + " disagrees with the label file's "
                    + labelCount + " classes");
        }
        NameMapping names = mapping();
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
            OptionalInt inFile = WeightLoader.classesIn(ModelRegistry.create(name, config.setNumClasses(1).build()),
                    file, names);
            if (classes != null || labelCount != null) {
                n = classes != null ? classes : labelCount;
                from = classes != null ? "--classes" : "the label file";
            } else if (inFile.isPresent()) {
                n = inFile.getAsInt();
                from = "the weights' classifier";
            } else {
                n = ModelRegistry.info(name).defaults().numClasses();
                from = "the model's default (the weights have no classifier it recognises)";
            }
            VideoModel model = ModelRegistry.create(name, config.setNumClasses(n).build());
            model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(model.inputShape()));
            LoadReport report = WeightLoader.builder().optLenient(lenient).optMapping(names).build().load(model, file);
            if (!report.isComplete()) {
                err.println("kinema: " + weights + " loaded leniently: " + report.summary());
                err.println(report.details());
            }
            return new Loaded(model, report, n, from);
        }
    }
}

package dev.kinema.cli;

import dev.kinema.recipes.ModelSource;
import dev.kinema.weights.LoadReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The model and weights options {@code run-model} and {@code import} share: a registry model with a
 * safetensors file (with how its names map, how strictly they must match, and the number of
 * classes, read from the file's classifier unless given), or a TorchScript file that holds its own
 * model. {@link #source} hands them to the core's {@link ModelSource}, which builds the model.
 */
final class WeightsOptions {
    @Option(names = "--model", paramLabel = "NAME", description = "Model name (see kinema models); with --weights.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE", description = "Weights as .safetensors, for --model.")
    Path weights;

    @Option(names = "--torchscript", paramLabel = "FILE.pt",
            description = "A TorchScript model (torch.jit.trace/script, then .save), run as it is; instead of --model and --weights.")
    Path torchscript;

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

    /**
     * The model and weights given.
     *
     * @throws IllegalArgumentException unless given one way: --model with --weights, or --torchscript alone
     */
    ModelSource source() {
        requireFile("--weights", weights);
        requireFile("--torchscript", torchscript);
        return new ModelSource(model, weights, torchscript, mapping, lenient, classes);
    }

    /** A missing file or a folder is named with its option here, before a reader says only "Is a directory". */
    private static void requireFile(String option, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + " " + file + ": is a folder, not a file");
        }
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(option + " " + file + ": no such file");
        }
    }

    /** Says on {@code err} which tensors a lenient load left out. */
    static void reportPartial(Path weights, LoadReport report, PrintWriter err) {
        if (report != null && !report.isComplete()) {
            err.println("kinema: " + weights + " loaded leniently: " + report.summary());
            err.println(report.details());
        }
    }
}

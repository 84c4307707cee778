package dev.kinema.cli;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.engine.TorchScript;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FileTrees;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import dev.kinema.recipes.Import;
import dev.kinema.recipes.ModelSource;
import dev.kinema.train.TrainedClassifier;
import dev.kinema.video.VideoFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema run-model}: one eval-mode forward pass of a registry model with weights from a
 * safetensors file, or of a TorchScript model, on a raw input tensor, to check a port against
 * PyTorch number for number; or the same model on a video, its clips made as its model card says,
 * through the run directory and Predictor {@code kinema import} and {@code kinema classify} use.
 */
@Command(name = "run-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one forward pass (eval mode: BatchNorm uses its running statistics, no dropout) of a",
            "model with weights from a .safetensors file (or of a TorchScript model) on an N x C x T x H x W",
            "float32 .npy input, and write the N x classes output as float32 .npy, to compare with PyTorch's.",
            "Given a video instead, classify it as kinema classify does: K clips made as the model card says",
            "(--card, else the weights' card; required with --torchscript), top 5 and each clip's top class."})
final class RunModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    WeightsOptions weights;

    @Option(names = "--input", paramLabel = "X.npy|VIDEO", required = true,
            description = "Input: N x C x T x H x W float32 (or float64) .npy, or a video file.")
    Path input;

    @Option(names = "--output", paramLabel = "Y.npy|Y.json",
            description = "Where to write the N x classes output (required for .npy input); for a video, its classification as JSON.")
    Path output;

    @Option(names = "--frames", paramLabel = "T", description = "Frames the model is built for (default: the input's T); .npy input.")
    Integer frames;

    @Option(names = "--size", paramLabel = "PX", description = "Frame size the model is built for (default: the input's H); .npy input.")
    Integer size;

    @Option(names = "--backbone", paramLabel = "B", description = "2D backbone, for models built on one (small, resnet18); .npy input.")
    String backbone;

    @Option(names = "--card", paramLabel = "CARD.json",
            description = "Video input: the model card saying how clips are made (default: the weights' card).")
    Path card;

    @Option(names = "--clips", paramLabel = "K", defaultValue = "10", description = "Video input: clips per video (default: ${DEFAULT-VALUE}).")
    int clips;

    @Override
    public Integer call() throws IOException {
        ModelSource source = weights.source();
        String name = input.getFileName().toString();
        if (VideoFiles.isVideoFile(name)) {
            return classifyVideo(source);
        }
        if (!name.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new IllegalArgumentException(input + ": the input must be a .npy tensor or a video ("
                    + String.join(", ", VideoFiles.EXTENSIONS.stream().sorted().toList()) + ")");
        }
        if (output == null) {
            throw new IllegalArgumentException("--output Y.npy is required for .npy input");
        }
        FloatTensor x = Npy.read(input);
        long[] s = x.shape();
        if (s.length != 5) {
            throw new IllegalArgumentException(input + ": the input must be N x C x T x H x W, got " + x.dims());
        }
        if (java.util.Arrays.stream(s).anyMatch(d -> d == 0)) {
            throw new IllegalArgumentException(input + ": the input " + x.dims() + " is empty; it needs at least one clip");
        }
        int t = Math.toIntExact(s[2]);
        int h = Math.toIntExact(s[3]);
        if (frames != null && frames != t || size != null && size != h) {
            throw new IllegalArgumentException(input + ": the input is " + x.dims() + " but --frames " + frames
                    + " --size " + size + " were given");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (source.isTorchScript()) {
            return runTorchScript(source.torchscript(), x, out);
        }
        float[] result;
        long[] resultShape;
        ModelSource.Loaded loaded;
        try (NDManager manager = NDManager.newBaseManager()) {
            loaded = source.load(t, h, backbone, null, null, manager);
            WeightsOptions.reportPartial(source.weights(), loaded.report(), spec.commandLine().getErr());
            if (loaded.model().config().channels() != s[1]) {
                throw new IllegalArgumentException(input + ": " + source.model() + " takes "
                        + loaded.model().config().channels() + " channels, the input has " + s[1]);
            }
            NDArray clipsIn = manager.create(x.data(), new Shape(s));
            NDArray y = loaded.model().forward(new ParameterStore(manager, false), new NDList(clipsIn), false)
                    .singletonOrThrow();
            result = y.toFloatArray();
            resultShape = y.getShape().getShape();
        }
        Npy.write(output, new FloatTensor(resultShape, result));
        out.printf(Locale.ROOT, "%s (%d classes from %s): input %s -> output %s written to %s; weights: %s%n",
                source.model(), loaded.classes(), loaded.classesFrom(), x.dims(), FloatTensor.dims(resultShape), output,
                loaded.report().summary());
        return 0;
    }

    private int runTorchScript(Path file, FloatTensor x, PrintWriter out) throws IOException {
        int version = TorchScript.formatVersion(file);
        FloatTensor y;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TorchScript.load(file, manager);
            NDArray clipsIn = manager.create(x.data(), new Shape(x.shape()));
            NDArray logits;
            try {
                logits = block.forward(new ParameterStore(manager, false), new NDList(clipsIn), false).singletonOrThrow();
            } catch (EngineException e) {
                throw new IllegalArgumentException(file + " refused the " + x.dims() + " input: "
                        + e.getMessage().strip().lines().findFirst().orElse(""), e);
            }
            y = new FloatTensor(logits.getShape().getShape(), logits.toFloatArray());
        }
        Npy.write(output, y);
        out.printf(Locale.ROOT, "%s (TorchScript, file format version %d): input %s -> output %s written to %s%n",
                file.getFileName(), version, x.dims(), y.dims(), output);
        return 0;
    }

    /**
     * Imports the model into a temporary run directory, as {@code kinema import} would, and
     * classifies the video with that run's Predictor, as {@code kinema classify} would.
     */
    private int classifyVideo(ModelSource source) throws IOException {
        if (frames != null || size != null || backbone != null) {
            throw new IllegalArgumentException("--frames, --size and --backbone are for .npy input; a video's clips"
                    + " are made as the model card says (--card)");
        }
        Path work = Files.createTempDirectory("kinema-run-model");
        try {
            Import.Imported imported = Import.builder().setSource(source).setOutput(work.resolve("run")).optCard(card)
                    .build().run();
            WeightsOptions.reportPartial(source.weights(), imported.report(), spec.commandLine().getErr());
            VideoClassifier.Classification c;
            try (TrainedClassifier classifier = TrainedClassifier.open(imported.run().dir(), clips)) {
                c = classifier.classify(input);
            }
            spec.commandLine().getOut().println(ClassifyCommand.describe(c));
            if (output != null) {
                AtomicFiles.write(output, w -> w.write((Json.pretty(c) + "\n").getBytes(StandardCharsets.UTF_8)));
            }
        } finally {
            FileTrees.deleteRecursively(work);
        }
        return 0;
    }
}

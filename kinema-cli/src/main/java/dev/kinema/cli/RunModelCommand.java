package dev.kinema.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.engine.EngineException;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.engine.TorchScript;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import java.io.IOException;
import java.io.PrintWriter;
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
 * PyTorch number for number.
 */
@Command(name = "run-model", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one forward pass (eval mode: BatchNorm uses its running statistics, no dropout) of a",
            "model with weights from a .safetensors file (or of a TorchScript model) on an N x C x T x H x W",
            "float32 .npy input, and write the N x classes output as float32 .npy, to compare with PyTorch's."})
final class RunModelCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name (see kinema models); with --weights.")
    String model;

    @Mixin
    WeightsOptions weights;

    @Option(names = "--input", paramLabel = "X.npy", required = true, description = "Input, N x C x T x H x W float32 (or float64).")
    Path input;

    @Option(names = "--output", paramLabel = "Y.npy", required = true, description = "Where to write the N x classes output.")
    Path output;

    @Option(names = "--frames", paramLabel = "T", description = "Frames the model is built for (default: the input's T).")
    Integer frames;

    @Option(names = "--size", paramLabel = "PX", description = "Frame size the model is built for (default: the input's H).")
    Integer size;

    @Option(names = "--backbone", paramLabel = "B", description = "2D backbone, for models built on one (small, resnet18).")
    String backbone;

    @Override
    public Integer call() throws IOException {
        weights.requireOneSource(model);
        FloatTensor x = Npy.read(input);
        long[] s = x.shape();
        if (s.length != 5) {
            throw new IllegalArgumentException(input + ": the input must be N x C x T x H x W, got " + x.dims());
        }
        int t = Math.toIntExact(s[2]);
        int h = Math.toIntExact(s[3]);
        if (frames != null && frames != t || size != null && size != h) {
            throw new IllegalArgumentException(input + ": the input is " + x.dims() + " but --frames " + frames
                    + " --size " + size + " were given");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (weights.torchscript != null) {
            return runTorchScript(x, out);
        }
        float[] result;
        long[] resultShape;
        WeightsOptions.Loaded loaded;
        try (NDManager manager = NDManager.newBaseManager()) {
            loaded = weights.load(model, t, h, backbone, null, manager, err);
            if (loaded.model().config().channels() != s[1]) {
                throw new IllegalArgumentException(input + ": " + model + " takes " + loaded.model().config().channels()
                        + " channels, the input has " + s[1]);
            }
            NDArray clips = manager.create(x.data(), new Shape(s));
            NDArray y = loaded.model().forward(new ParameterStore(manager, false), new NDList(clips), false)
                    .singletonOrThrow();
            result = y.toFloatArray();
            resultShape = y.getShape().getShape();
        }
        Npy.write(output, new FloatTensor(resultShape, result));
        out.printf(Locale.ROOT, "%s (%d classes from %s): input %s -> output %s written to %s; weights: %s%n", model,
                loaded.classes(), loaded.classesFrom(), x.dims(), FloatTensor.dims(resultShape), output,
                loaded.report().summary());
        return 0;
    }

    private int runTorchScript(FloatTensor x, PrintWriter out) throws IOException {
        Path file = weights.torchscript;
        int version = TorchScript.formatVersion(file);
        FloatTensor y;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TorchScript.load(file, manager);
            NDArray clips = manager.create(x.data(), new Shape(x.shape()));
            NDArray logits;
            try {
                logits = block.forward(new ParameterStore(manager, false), new NDList(clips), false).singletonOrThrow();
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
}

package dev.kinema.cli;

import dev.kinema.recipes.Compare;
import dev.kinema.recipes.Fuse;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema compare}: the lecture's model comparison on your data, the core's {@link Compare}.
 * Each model is trained with the same recipe, evaluated on the test split (softmax averaged over
 * several clips per video), and reported with its parameters, multiply-adds per clip and training
 * and inference speed. On Kinema-Motion, accuracy is also split into appearance and motion-only
 * classes.
 *
 * <p>Two-stream entries: {@code spatial-stream} and {@code temporal-stream} are trained like any
 * model (the temporal stream on flow stacks of {@code --flow-length} fields); {@code two-stream-avg}
 * and {@code two-stream-linear} are built from those two trained streams without retraining
 * (probabilities averaged, or a logistic regression fitted on their pooled features over the
 * training clips), so they must come after both streams in {@code --models}. Each gets a run
 * directory that {@code kinema eval} and {@code kinema classify} read.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Train and evaluate several models with one recipe and tabulate video top-1, params, GFLOPs",
            "(multiply-adds) per clip and clips/s; writes OUT/compare.md and OUT/compare.json."})
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, description = "Dataset with train, val and test splits.")
    Path data;

    @Option(names = "--models", split = ",", defaultValue = "single-frame,late-fusion-pool,late-fusion-fc,early-fusion,slow-fusion,c3d",
            description = "Models (default: ${DEFAULT-VALUE}).")
    List<String> models;

    @Option(names = "--out", defaultValue = "kinema-out/compare", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--epochs", defaultValue = "10")
    int epochs;

    @Option(names = "--frames", defaultValue = "8", description = "Frames per clip; raised to what a model needs (C3D: 16).")
    int frames;

    @Option(names = "--stride", defaultValue = "3")
    int stride;

    @Option(names = "--size", defaultValue = "56")
    int size;

    @Option(names = "--batch", defaultValue = "8")
    int batch;

    @Option(names = "--lr", description = "Peak learning rate (default: the optimizer's).")
    Double lr;

    @Option(names = "--clip-grad-norm", paramLabel = "X",
            description = "Clip the gradients to global L2 norm X before each update (default: off).")
    Double clipGradNorm;

    @Option(names = "--clips", defaultValue = "5", description = "Test clips per video (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--no-flip", description = "No random flips (Kinema-Motion's left/right classes need this).")
    boolean noFlip;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--workers", defaultValue = "2")
    int workers;

    @Option(names = "--flow-length", defaultValue = "10",
            description = "Flow fields per stack for the temporal stream and two-stream (default: ${DEFAULT-VALUE}).")
    int flowLength;

    @Option(names = "--fusion-clips", defaultValue = "3",
            description = "Clips per training video two-stream-linear's classifier is fitted on (default: ${DEFAULT-VALUE}).")
    int fusionClips;

    @Mixin
    FlowOptions flow;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        Compare.Result result = Compare.builder().setData(data).setOutput(out).setModels(models).optFrames(frames)
                .optStride(stride).optSize(size).optClips(clips).optFlowLength(flowLength).optFusionClips(fusionClips)
                .optTraining(this::recipe).build().run(new Progress(o));
        o.println();
        o.print(result.markdown());
        o.println("wrote " + result.markdownFile() + " and " + result.jsonFile());
        return 0;
    }

    /** What every model trains with. */
    private void recipe(TrainConfig.Builder b) throws IOException {
        b.optEpochs(epochs).optBatch(batch).optFlip(!noFlip).optSeed(seed).optWorkers(workers);
        if (lr != null) {
            b.optLr(lr);
        }
        b.optClipGradNorm(clipGradNorm);
        flow.applyTo(b);
    }

        /** Each model's heading, its training epochs, and a fusion's fit and accuracy. */
    private static final class Progress implements Compare.Listener {
        private final PrintWriter o;
        private TrainProgress training;

        Progress(PrintWriter o) {
            this.o = o;
        }

        @Override
        public void modelStarted(String model, String clip, boolean fusion) {
            o.printf(Locale.ROOT, fusion ? "== %s (the trained spatial and temporal streams, fused)%n"
                    : "== %s (%s clips)%n", model, clip);
        }

        @Override
        public TrainingListener training(String model, int epochs) {
            training = new TrainProgress(o, epochs);
            return training;
        }

        @Override
        public void trainingEnded(String model) {
            training.finish();
        }

        @Override
        public void fusionFitted(String model, int clips, double seconds) {
            o.printf(Locale.ROOT, "   fitted the linear fusion on %d clips of each training video in %.1f s%n", clips,
                    seconds);
        }

        @Override
        public void modelFinished(Compare.Row row, Path run) {
            if (Fuse.FUSIONS.containsKey(row.model())) {
                o.printf(Locale.ROOT, "   video top-1 %.1f%% (run: %s)%n", 100 * row.videoTop1(), run);
            }
        }
    }
}

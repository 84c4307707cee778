package dev.kinema.cli;

import dev.kinema.eval.EvalResult;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.recipes.Demo;
import dev.kinema.synth.ActionKind;
import dev.kinema.synth.SynthDatasetWriter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema demo}: the main job on a built-in default, the core's {@link Demo} step by step. It
 * renders a small Kinema-Motion (four appearance classes and two motion pairs that single frames
 * cannot tell apart), trains a 3D CNN on it, evaluates it on the held-out test split with several
 * clips per video, classifies two test videos clip by clip, and says where the HTML report is.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Kinema's main job on a built-in default: render a small Kinema-Motion, train a 3D CNN,",
            "evaluate it on held-out videos, classify two of them, and write an HTML report."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "kinema-out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--videos-per-class", defaultValue = "40", description = "Videos per class (default: ${DEFAULT-VALUE}).")
    int videosPerClass;

    @Option(names = "--epochs", defaultValue = "20", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--model", defaultValue = "slow-fusion", description = "Model to train (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter o = spec.commandLine().getOut();
        Demo demo = Demo.builder().setOutput(out).optVideosPerClass(videosPerClass).optEpochs(epochs).optModel(model)
                .optSeed(seed).build();
        long start = System.nanoTime();

        o.printf("1. Rendering Kinema-Motion: %d classes x %d videos into %s%n", Demo.CLASSES.size(), videosPerClass,
                demo.data());
        o.flush();
        SynthDatasetWriter.Summary rendered;
        try (ProgressBar bar = ProgressBars.builder("synth", Demo.CLASSES.size() * videosPerClass, " videos").build()) {
            rendered = demo.render(done -> {
                synchronized (bar) {
                    bar.stepTo(Math.max(bar.getCurrent(), done));
                }
            });
        }
        o.println(SynthCommand.describe(rendered));

        o.printf("2. Training %s for %d epochs on %d-frame clips (stride %d, %dx%d, peak learning rate %s; no flips:"
                + " they would turn slide_left into slide_right)%n", model, epochs, Demo.FRAMES, Demo.STRIDE, Demo.SIZE,
                Demo.SIZE, Demo.LEARNING_RATE);
        TrainProgress progress = new TrainProgress(o, epochs);
        try {
            demo.train(progress);
        } finally {
            progress.finish();
        }

        o.printf("3. Evaluating on the held-out test split (%d clips per video, softmax averaged)%n", Demo.EVAL_CLIPS);
        Demo.Evaluation evaluation = demo.evaluate();
        EvalResult r = evaluation.result();
        o.printf(Locale.ROOT, "   video top-1 %.1f%%, clip top-1 %.1f%%, mean class accuracy %.1f%% (chance %.1f%%)%n",
                100 * r.videoTop1(), 100 * r.clipTop1(), 100 * r.meanClassAccuracy(), 100 * evaluation.chance());
        evaluation.byKind().forEach((kind, counts) -> o.printf(Locale.ROOT, "   %s classes: %.1f%% of %d videos%n",
                kind == ActionKind.MOTION ? "motion-only" : "appearance", 100.0 * counts[0] / counts[1], counts[1]));

        o.println("4. Classifying two held-out videos, clip by clip");
        for (VideoClassifier.Classification c : demo.classify()) {
            o.println(ClassifyCommand.describe(c));
        }

        o.printf(Locale.ROOT, "5. Report with training curves and the confusion matrix: %s%n",
                demo.run().resolve("report.html").toAbsolutePath());
        o.printf(Locale.ROOT, "Done in %.0f s.%n", (System.nanoTime() - start) / 1e9);
        return 0;
    }
}

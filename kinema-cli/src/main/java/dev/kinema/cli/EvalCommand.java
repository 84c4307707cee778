package dev.kinema.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.DatasetOptions;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.tasks.ClassificationTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kinema eval}: clip- and video-level accuracy of a trained run on a split. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a trained run on a labelled split: clip_top1/clip_top5 of the single centre clip,",
            "video_top1/video_top5 of the softmax averaged over K uniform clips x M crops (M=3: three-crop testing),",
            "mean_class_accuracy, classes and confusion (rows true, columns predicted)."})
final class EvalCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TrainedRunOptions trained;

    @Option(names = "--data", paramLabel = "DIR", description = "Dataset root (default: the one the run trained on).")
    Path data;

    @Option(names = "--annotations", paramLabel = "FILE", description = "Annotation file or folder (default: the run's).")
    Path annotations;

    @Option(names = "--split", paramLabel = "val|test", required = true, description = "Split to evaluate.")
    String split;

    @Option(names = "--crops", paramLabel = "M", defaultValue = "1", description = "Crops per clip, 1 or 3 (default: ${DEFAULT-VALUE}).")
    int crops;

    @Option(names = "--workers", paramLabel = "W", defaultValue = "2", description = "Decoding threads (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Option(names = "--strict", description = "Stop at the first annotation problem instead of skipping it.")
    boolean strict;

    @Override
    public Integer call() throws IOException {
        RunDir dir = trained.open(spec).requireTask("kinema eval", ClassificationTask.NAME);
        Path root = data != null ? data : dir.config().data().root();
        Optional<Path> notes = annotations != null ? Optional.of(annotations)
                : data == null ? Optional.ofNullable(dir.config().data().annotations()) : Optional.empty();
        VideoDataset dataset = DatasetFormats.open(root, notes, DatasetOptions.builder().optStrict(strict).build());
        if (!dataset.report().isEmpty()) {
            spec.commandLine().getErr().println("kinema: " + dataset.report().summary() + " (kinema dataset stats " + root
                    + " lists them; --strict makes them fatal)");
        }
        List<VideoSample> samples = dataset.samples(split);
        if (samples.isEmpty()) {
            throw new IllegalArgumentException(root + ": the " + split + " split has no videos; nothing to evaluate");
        }
        if (!dataset.labels().equals(dir.labels())) {
            throw new IllegalArgumentException(root + ": its classes " + dataset.labels() + " are not the run's "
                    + dir.labels());
        }
        EvalResult result;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = dir.loadModel(manager, ModelFactory.registry());
            result = Evaluator.builder().setModel(model).setInput(dir.input()).setClasses(dir.labels())
                    .optClips(trained.clips).optCrops(crops).optWorkers(workers).optFlowSource(trained.flow.sourceFor(dir.config()))
                    .build().evaluate(samples);
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println(json ? Json.line(result) : describe(dir, result));
        return 0;
    }

    private String describe(RunDir dir, EvalResult r) {
        StringBuilder b = new StringBuilder();
        String weights = dir.weightsCheckpoint().equals(dir.checkpoint()) ? ""
                : " (weights: " + dir.weightsCheckpoint().getFileName() + ")";
        b.append(String.format(Locale.ROOT, "%s%s on %s: %d videos%s, %d clips x %d crop%s%n", trained.run, weights, split, r.videos(),
                r.skipped() > 0 ? " (" + r.skipped() + " unreadable, skipped)" : "", r.clips(), r.crops(),
                r.crops() == 1 ? "" : "s"));
        b.append(String.format(Locale.ROOT, "clip  top-1 %5.1f%%   top-5 %5.1f%%   (single centre clip)%n",
                100 * r.clipTop1(), 100 * r.clipTop5()));
        b.append(String.format(Locale.ROOT, "video top-1 %5.1f%%   top-5 %5.1f%%   (softmax averaged)%n",
                100 * r.videoTop1(), 100 * r.videoTop5()));
        b.append(String.format(Locale.ROOT, "mean class accuracy %.1f%%%n", 100 * r.meanClassAccuracy()));
        List<String> classes = r.classes();
        String byKind = TrainCommand.byKind(classes, r.confusion());
        if (!byKind.isEmpty()) {
            b.append("video top-1 by kind: ").append(byKind).append('\n');
        }
        if (classes.size() <= 20) {
            int w = Math.max(6, classes.stream().mapToInt(String::length).max().orElse(6));
            b.append("confusion (rows true, columns predicted):\n").append(" ".repeat(w));
            for (int p = 0; p < classes.size(); p++) {
                b.append(String.format(Locale.ROOT, " %5d", p));
            }
            b.append('\n');
            for (int t = 0; t < classes.size(); t++) {
                b.append(String.format(Locale.ROOT, "%-" + w + "s", classes.get(t)));
                for (int p = 0; p < classes.size(); p++) {
                    b.append(String.format(Locale.ROOT, " %5d", r.confusion()[t][p]));
                }
                b.append(String.format(Locale.ROOT, "   (%d)%n", t));
            }
        }
        return b.toString().stripTrailing();
    }
}

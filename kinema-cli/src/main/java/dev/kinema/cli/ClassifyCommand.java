package dev.kinema.cli;

import dev.kinema.eval.VideoClassifier;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainedClassifier;
import dev.kinema.video.VideoDecodeException;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema classify}: what a trained run sees in videos, overall and clip by clip. */
@Command(name = "classify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify videos with a trained run: the top 5 classes of the softmax averaged over K uniform",
            "clips, and each clip's start and end (seconds), top class and probability, to see how the",
            "prediction evolves. --json gives one JSON object per video, one per line."})
final class ClassifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VIDEO", arity = "1..*", description = "Video files.")
    List<Path> videos;

    @Mixin
    TrainedRunOptions trained;

    @Option(names = "--json", description = "One JSON object per video: video, top5 [{label, probability}], clips [{start, end, label, probability}].")
    boolean json;

    @Override
    public Integer call() throws IOException {
        RunDir dir = RunDir.open(trained.run);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (TrainedClassifier classifier = TrainedClassifier.open(dir, trained.clips,
                trained.flow.sourceFor(dir.config()))) {
            for (Path video : videos) {
                try {
                    VideoClassifier.Classification c = classifier.classify(video);
                    out.println(json ? Json.line(c) : describe(c));
                } catch (VideoDecodeException e) {
                    failed++;
                    err.println("kinema: " + e.getMessage());
                }
                out.flush();
            }
        }
        return failed == 0 ? 0 : 2;
    }

    static String describe(VideoClassifier.Classification c) {
        StringBuilder b = new StringBuilder(c.video().toString()).append(':');
        for (int i = 0; i < c.top5().size(); i++) {
            VideoClassifier.LabelProbability p = c.top5().get(i);
            b.append(i == 0 ? " " : ", ").append(p.label())
                    .append(String.format(Locale.ROOT, " %.1f%%", 100 * p.probability()));
        }
        int w = c.clips().stream().mapToInt(p -> p.label().length()).max().orElse(5);
        for (VideoClassifier.ClipPrediction p : c.clips()) {
            String span = String.format(Locale.ROOT, "%.2f-%.2f s", p.start(), p.end());
            b.append(String.format(Locale.ROOT, "%n  %14s  %-" + w + "s %5.1f%%", span, p.label(), 100 * p.probability()));
        }
        return b.toString();
    }
}

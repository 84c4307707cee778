package dev.kinema.cli;

import dev.kinema.adamml.AdaMmlRun;
import dev.kinema.adamml.SegmentInputs;
import dev.kinema.adamml.SegmentModality;
import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.flow.FlowSource;
import dev.kinema.recipes.SalientSampling;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainedClassifier;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

    @Option(names = "--sampler", paramLabel = "uniform|salient", defaultValue = "uniform",
            description = {"uniform: K clips spread over the video (default); salient: the K clips a cheap preview run",
                "(--preview) finds most salient among candidates every --hop seconds (SCSampler)."})
    String sampler;

    @Option(names = "--preview", paramLabel = "RUN_P", description = "The preview run for --sampler salient: a cheap clip classifier with a background class.")
    Path preview;

    @Option(names = "--hop", paramLabel = "SECONDS", defaultValue = "1", description = "Seconds between salient candidates (default: ${DEFAULT-VALUE}).")
    double hop;

    @Option(names = "--compare-samplers", paramLabel = "K,K,...", split = ",",
            description = {"Instead of classifying: video top-1, GMACs and seconds per video of uniform and salient",
                "sampling at each K over VIDEOs, whose classes --truth gives; one JSON line per sampler and K."})
    int[] compareSamplers;

    @Option(names = "--plot", paramLabel = "PNG", description = "With --compare-samplers: also draw video top-1 against GMACs per video, one line per sampler.")
    Path plot;

    @Option(names = "--truth", paramLabel = "ACTIVITYNET_JSON", description = "Ground truth for --compare-samplers: each video's class is its first annotation's.")
    Path truth;

    @Option(names = "--policy", paramLabel = "RUN_POLICY",
            description = {"An AdaMML run (kinema adamml): its policy picks the modalities (rgb, flow, audio) of each",
                "segment and only those are computed; prints each segment's modalities. Takes no --run."})
    Path policy;

    @Override
    public Integer call() throws IOException {
        if (policy != null) {
            return adaptive(out(), spec.commandLine().getErr());
        }
        RunDir dir = trained.open(spec);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!sampler.equals("uniform") && !sampler.equals("salient")) {
            err.println("kinema: --sampler is uniform or salient, got " + sampler);
            return 2;
        }
        if (sampler.equals("salient") || compareSamplers != null) {
            if (preview == null) {
                err.println("kinema: salient sampling needs --preview RUN_P");
                return 2;
            }
            return salient(dir, out, err);
        }
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

    private int salient(RunDir expensive, PrintWriter out, PrintWriter err) throws IOException {
        int failed = 0;
        try (SalientSampling sampling = SalientSampling.open(expensive, preview, hop)) {
            if (compareSamplers != null) {
                if (truth == null) {
                    err.println("kinema: --compare-samplers needs --truth ACTIVITYNET_JSON");
                    return 2;
                }
                Map<String, ActivityNetJson.Video> gt = ActivityNetJson.readGroundTruth(truth, null);
                List<SalientSampling.Scored> scored = new ArrayList<>();
                List<String> classes = new ArrayList<>();
                for (Path video : videos) {
                    String id = ActivityNetJson.videoId(video.getFileName().toString().replaceFirst("\\.[^.]+$", ""));
                    ActivityNetJson.Video v = gt.get(id);
                    if (v == null || v.annotations().isEmpty()) {
                        err.println("kinema: " + video + ": no annotated class in " + truth);
                        return 2;
                    }
                    scored.add(sampling.score(video));
                    classes.add(v.annotations().get(0).label());
                }
                List<SalientSampling.Point> points = sampling.compare(scored, classes, compareSamplers);
                points.forEach(p -> out.println(Json.line(p)));
                if (plot != null) {
                    SalientSampling.plot(points, plot);
                }
                return 0;
            }
            for (Path video : videos) {
                try {
                    VideoClassifier.Classification c = sampling.classify(video, trained.clips);
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

    private PrintWriter out() {
        return spec.commandLine().getOut();
    }

    private int adaptive(PrintWriter out, PrintWriter err) throws IOException {
        int failed = 0;
        try (AdaMmlRun run = AdaMmlRun.open(policy)) {
            FlowSource flow = SegmentInputs.defaultFlow(run.config());
            for (Path video : videos) {
                try {
                    AdaMmlRun.Result r = run.classify(video, flow);
                    out.println(json ? Json.line(r) : describe(r));
                } catch (VideoDecodeException | IllegalArgumentException e) {
                    failed++;
                    err.println("kinema: " + e.getMessage());
                }
                out.flush();
            }
        }
        return failed == 0 ? 0 : 2;
    }

    static String describe(AdaMmlRun.Result r) {
        StringBuilder b = new StringBuilder(r.video().toString()).append(": ")
                .append(r.label() == null ? "no modality computed" : r.label() + String.format(Locale.ROOT, " %.1f%%", 100 * r.probability()))
                .append(String.format(Locale.ROOT, ", %.0f%% of the all-modalities compute", 100 * r.computeFraction()));
        for (AdaMmlRun.SegmentResult s : r.segments()) {
            String used = s.modalities().isEmpty() ? "-" : s.modalities().stream().map(SegmentModality::key)
                    .collect(java.util.stream.Collectors.joining("+"));
            b.append(String.format(Locale.ROOT, "%n  %14s  %-14s %s", String.format(Locale.ROOT, "%.2f-%.2f s", s.start(), s.end()),
                    used, s.label() == null ? "" : s.label() + String.format(Locale.ROOT, " %.1f%%", 100 * s.probability())));
        }
        return b.toString();
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

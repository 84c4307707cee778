package dev.kinema.cli;

import ai.djl.Model;
import ai.djl.nn.Block;
import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.Segment;
import dev.kinema.localization.ClipScores;
import dev.kinema.localization.SlidingWindows;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.video.VideoDecodeException;
import dev.kinema.viz.TimelineChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema localize}: where the actions are in untrimmed videos, with a trained clip classifier. */
@Command(name = "localize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Temporal action localisation: the detected segments (start, end, label, score) of each video,",
            "by sliding windows of several lengths over a trained clip classifier with a 'background' class",
            "(e.g. one trained on kinema synth --untrimmed's windows/), and a timeline PNG per video",
            "(ground truth too with --ground-truth). --predictions writes them all as ActivityNet results JSON."})
final class LocalizeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VIDEO", arity = "1..*", description = "Video files.")
    List<Path> videos;

    @Option(names = "--run", required = true, paramLabel = "RUN", description = "A trained run directory (kinema train).")
    Path run;

    @Option(names = "--ground-truth", paramLabel = "GT",
            description = "ActivityNet JSON or THUMOS14 lists, drawn on the timeline (videos matched by file name).")
    Path groundTruth;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "kinema-out/localize",
            description = "Where the timelines go, <video>.timeline.png (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--predictions", paramLabel = "PRED.json", description = "Also write every video's segments as ActivityNet results JSON.")
    Path predictions;

    @Option(names = "--every", paramLabel = "S", defaultValue = "0.5",
            description = "Seconds between the classifier's clips (default: ${DEFAULT-VALUE}).")
    double every;

    @Option(names = "--windows", paramLabel = "S,...", split = ",",
            description = "Window lengths in seconds (default: 2,3,4.5,6.5,9.5).")
    double[] windows;

    @Option(names = "--top", paramLabel = "N", defaultValue = "10",
            description = "Segments printed and drawn per video (all go to --predictions and --json; default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "One JSON object per video: video, duration, segments [{start, end, label, score}], timeline.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        RunDir dir = RunDir.open(run);
        SlidingWindows localizer = windows == null ? SlidingWindows.defaults()
                : new SlidingWindows(windows, SlidingWindows.defaults().nmsThreshold(), SlidingWindows.defaults().maxSegments());
        Map<String, List<Segment>> truth = new LinkedHashMap<>();
        if (groundTruth != null) {
            MetricsCommand.temporalTruth(groundTruth, null).forEach(s -> truth.computeIfAbsent(s.videoId(), k -> new ArrayList<>()).add(s));
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> ids = new ArrayList<>();
        List<Segment> all = new ArrayList<>();
        int failed = 0;
        try (Model model = Model.newInstance(dir.config().model())) {
            Block block = dir.loadModel(model.getNDManager(), ModelFactory.registry());
            model.setBlock(block);
            for (Path video : videos) {
                try {
                    ClipScores scores = ClipScores.of(block, dir.input(), dir.labels(), video, every);
                    List<Segment> segments = localizer.localize(scores);
                    String id = ActivityNetJson.videoId(SlidingWindows.stem(video));
                    ids.add(id);
                    all.addAll(segments);
                    List<Segment> shown = segments.subList(0, Math.min(top, segments.size()));
                    Path png = timeline(id, scores.duration(), truth.getOrDefault(id, List.of()), shown, dir.labels());
                    if (json) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("video", video.toString());
                        m.put("duration", scores.duration());
                        m.put("segments", segments.stream().map(s -> Map.of("start", s.start(), "end", s.end(), "label", s.label(),
                                "score", s.score())).toList());
                        m.put("timeline", png.toString());
                        o.println(Json.line(m));
                    } else {
                        o.printf(Locale.ROOT, "%s (%.1f s): %d segments, best %d%n", video, scores.duration(), segments.size(), shown.size());
                        for (Segment s : shown) {
                            o.printf(Locale.ROOT, "  %7.2f - %7.2f s  %-22s %.3f%n", s.start(), s.end(), s.label(), s.score());
                        }
                        o.println("  timeline: " + png);
                    }
                } catch (VideoDecodeException e) {
                    failed++;
                    err.println("kinema localize: " + e.getMessage());
                }
                o.flush();
            }
        }
        if (predictions != null) {
            ActivityNetJson.writeResults(predictions, ids, all);
            if (!json) {
                o.println("wrote " + predictions);
            }
        }
        return failed == 0 ? 0 : 2;
    }

    private Path timeline(String id, double duration, List<Segment> truth, List<Segment> predicted, List<String> labels) {
        List<TimelineChart.Row> rows = new ArrayList<>();
        if (!truth.isEmpty()) {
            rows.add(new TimelineChart.Row("ground truth", truth.stream().map(s -> new TimelineChart.Bar(s.start(), s.end(), s.label(), 1)).toList()));
        }
        rows.add(new TimelineChart.Row("predicted", predicted.stream()
                .map(s -> new TimelineChart.Bar(s.start(), s.end(), s.label(), Math.min(0.999, s.score()))).toList()));
        return TimelineChart.write(out.resolve(id + ".timeline.png"), id + ": temporal action localisation", duration, rows, labels);
    }
}

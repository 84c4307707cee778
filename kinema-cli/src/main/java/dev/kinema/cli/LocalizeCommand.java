package dev.kinema.cli;

import ai.djl.Model;
import ai.djl.nn.Block;
import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.Segment;
import dev.kinema.localization.BoundaryProposals;
import dev.kinema.localization.ClipScores;
import dev.kinema.localization.ProposalEvaluation;
import dev.kinema.localization.SlidingWindows;
import dev.kinema.tasks.ClassificationTask;
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

    @Option(names = "--method", paramLabel = "windows|bsn", defaultValue = "windows",
            description = {"windows: sliding windows (the baseline); bsn: learned proposals (BSN's TEM and proposal",
                "generation, soft-NMS, and BSN's PEM with --pem) classified by the same classifier; needs --tem",
                "(default: ${DEFAULT-VALUE})."})
    String method;

    @Option(names = "--tem", paramLabel = "FILE", description = "The BSN temporal evaluation module: read by --method bsn, written by --fit-tem.")
    Path tem;

    @Option(names = "--fit-tem", description = {"Instead of localising, fit the TEM on the given (training) videos and their",
        "--ground-truth, and save it to --tem."})
    boolean fitTem;

    @Option(names = "--tem-epochs", paramLabel = "N", defaultValue = "60", description = "TEM training epochs (default: ${DEFAULT-VALUE}).")
    int temEpochs;

    @Option(names = "--pem", paramLabel = "FILE", description = {"BSN's proposal evaluation module: with --method bsn, proposals are scored",
        "p_start x p_end x PEM before soft-NMS (without it, p_start x p_end); written by --fit-pem."})
    Path pem;

    @Option(names = "--fit-pem", description = {"Instead of localising, fit the PEM on the given (training) videos' proposals from",
        "--tem and their --ground-truth, and save it to --pem."})
    boolean fitPem;

    @Option(names = "--pem-epochs", paramLabel = "N", defaultValue = "100", description = "PEM training epochs (default: ${DEFAULT-VALUE}).")
    int pemEpochs;

    @Option(names = "--max-seconds", paramLabel = "S", defaultValue = "12",
            description = "Longest proposal, in seconds (default: ${DEFAULT-VALUE}).")
    double maxSeconds;

    @Override
    public Integer call() throws IOException {
        RunDir dir = RunDir.open(run).requireTask("localisation (a clip classifier over windows)", ClassificationTask.NAME);
        SlidingWindows localizer = windows == null ? SlidingWindows.defaults()
                : new SlidingWindows(windows, SlidingWindows.defaults().nmsThreshold(), SlidingWindows.defaults().maxSegments());
        Map<String, List<Segment>> truth = new LinkedHashMap<>();
        if (groundTruth != null) {
            MetricsCommand.temporalTruth(groundTruth, null).forEach(s -> truth.computeIfAbsent(s.videoId(), k -> new ArrayList<>()).add(s));
        }
        if ((fitTem || method.equals("bsn")) && tem == null) {
            throw new IllegalArgumentException("--fit-tem and --method bsn need --tem FILE");
        }
        if (!method.equals("windows") && !method.equals("bsn")) {
            throw new IllegalArgumentException("--method must be windows or bsn, got " + method);
        }
        if (fitPem && (tem == null || pem == null)) {
            throw new IllegalArgumentException("--fit-pem needs --tem FILE (a fitted TEM) and --pem FILE (where the PEM goes)");
        }
        if (pem != null && !fitPem && !method.equals("bsn")) {
            throw new IllegalArgumentException("--pem rescores BSN's proposals: give it with --method bsn");
        }
        if (fitTem || fitPem) {
            return fit(dir, truth);
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> ids = new ArrayList<>();
        List<Segment> all = new ArrayList<>();
        int failed = 0;
        try (Model model = Model.newInstance(dir.config().model());
                BoundaryProposals bsn = method.equals("bsn") ? BoundaryProposals.load(tem) : null;
                ProposalEvaluation evaluation = pem == null ? null : ProposalEvaluation.load(pem)) {
            Block block = dir.loadModel(model.getNDManager(), ModelFactory.registry());
            model.setBlock(block);
            for (Path video : videos) {
                try {
                    ClipScores scores = ClipScores.of(block, dir.input(), dir.labels(), video, every);
                    List<Segment> segments = bsn == null ? localizer.localize(scores)
                            : bsn.localize(scores, maxSeconds, localizer.maxSegments(), evaluation);
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

    /** --fit-tem, or --fit-pem (with the fitted --tem): on the given videos and their ground truth. */
    private int fit(RunDir dir, Map<String, List<Segment>> truth) throws IOException {
        String option = fitTem ? "--fit-tem" : "--fit-pem";
        if (truth.isEmpty()) {
            throw new IllegalArgumentException(option + " needs --ground-truth for its videos");
        }
        List<ClipScores> scores = new ArrayList<>();
        List<List<Segment>> targets = new ArrayList<>();
        try (Model model = Model.newInstance(dir.config().model())) {
            Block block = dir.loadModel(model.getNDManager(), ModelFactory.registry());
            for (Path video : videos) {
                String id = ActivityNetJson.videoId(SlidingWindows.stem(video));
                if (!truth.containsKey(id)) {
                    throw new IllegalArgumentException(video + ": no ground truth for video id " + id + " in " + groundTruth);
                }
                scores.add(ClipScores.of(block, dir.input(), dir.labels(), video, every));
                targets.add(truth.get(id));
            }
        }
        int instances = targets.stream().mapToInt(List::size).sum();
        PrintWriter o = spec.commandLine().getOut();
        if (fitTem) {
            try (BoundaryProposals fitted = BoundaryProposals.fit(scores, targets, temEpochs, 0.01, 0)) {
                fitted.save(tem);
            }
            o.printf(Locale.ROOT, "fitted the TEM on %d videos (%d instances, %d epochs); wrote %s%n", videos.size(),
                    instances, temEpochs, tem);
        }
        if (fitPem) {
            try (BoundaryProposals boundaries = BoundaryProposals.load(tem);
                    ProposalEvaluation fitted = ProposalEvaluation.fit(boundaries, scores, targets, maxSeconds, pemEpochs, 0.01, 0)) {
                fitted.save(pem);
            }
            o.printf(Locale.ROOT, "fitted the PEM on %d videos' proposals (%d instances, %d epochs); wrote %s%n",
                    videos.size(), instances, pemEpochs, pem);
        }
        return 0;
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

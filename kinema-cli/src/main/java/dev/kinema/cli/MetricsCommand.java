package dev.kinema.cli;

import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaCsv;
import dev.kinema.data.annotations.Segment;
import dev.kinema.data.annotations.ThumosLists;
import dev.kinema.eval.captions.CaptionMetrics;
import dev.kinema.eval.detection.ActivityNetMap;
import dev.kinema.eval.detection.AvaFrameMap;
import dev.kinema.eval.detection.ProposalRecall;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema metrics}: the localisation and detection metrics on any prediction file against any
 * ground truth (Kinema's own, a real dataset's, another tool's output), with the official
 * evaluators' rules ({@code dev.kinema.eval.detection}).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Evaluate localisation, detection and caption predictions (ActivityNet mAP, AR@AN, AVA frame mAP, BLEU-4, CIDEr-D, QA accuracy) and separated sources (BSS Eval).",
        subcommands = {MetricsCommand.ActivityNet.class, MetricsCommand.Proposals.class, MetricsCommand.Ava.class,
            MetricsCommand.Captions.class, MetricsSeparationCommand.class})
final class MetricsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Ground truth of temporal segments: ActivityNet JSON, or THUMOS14 lists (a folder of them or one file). */
    static List<Segment> temporalTruth(Path path, String subset) throws IOException {
        if (!Files.exists(path)) {
            throw new IllegalArgumentException(path + ": no such file or folder");
        }
        if (Files.isDirectory(path) || path.getFileName().toString().endsWith(".txt")) {
            return ThumosLists.read(path);
        }
        return ActivityNetJson.readGroundTruth(path, subset).values().stream().flatMap(v -> v.annotations().stream()).toList();
    }

    private static String percent(double v) {
        return String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static double round(double v) {
        return Math.round(v * 1e6) / 1e6;
    }

    @Command(name = "activitynet", mixinStandardHelpOptions = true,
            description = {"ActivityNet detection mAP at tIoU 0.50:0.05:0.95 and their average.",
                "Predictions: ActivityNet's results JSON, results.<video id>[] = {label, score, segment}."})
    static final class ActivityNet implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ground-truth", required = true, paramLabel = "GT",
                description = "ActivityNet JSON (database.<id>.annotations[]), or THUMOS14 class lists (a folder or one .txt).")
        Path groundTruth;

        @Option(names = "--predictions", required = true, paramLabel = "PRED.json", description = "ActivityNet results JSON.")
        Path predictions;

        @Option(names = "--subset", paramLabel = "NAME", description = "Only the ground truth of this subset (e.g. validation); default: all.")
        String subset;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            List<Segment> truth = temporalTruth(groundTruth, subset);
            if (truth.isEmpty()) {
                throw new IllegalArgumentException(groundTruth + ": no ground-truth segments" + (subset == null ? "" : " in subset " + subset));
            }
            List<Segment> preds = ActivityNetJson.readResults(predictions);
            ActivityNetMap.Result r = ActivityNetMap.evaluate(truth, preds);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("metric", "activitynet_detection_map");
                o.put("ground_truth_segments", truth.size());
                o.put("ground_truth_videos", truth.stream().map(Segment::videoId).distinct().count());
                o.put("predictions", preds.size());
                o.put("unknown_labels", r.unknownLabels());
                Map<String, Double> byThreshold = new LinkedHashMap<>();
                for (int t = 0; t < r.thresholds().length; t++) {
                    byThreshold.put(String.format(Locale.ROOT, "%.2f", r.thresholds()[t]), round(r.map()[t]));
                }
                o.put("map", byThreshold);
                o.put("average_map", round(r.averageMap()));
                Map<String, Double> perClass = new LinkedHashMap<>();
                r.apByClass().forEach((k, v) -> perClass.put(k, round(Arrays.stream(v).average().orElse(0))));
                o.put("average_ap_by_class", perClass);
                out.println(Json.line(o));
            } else {
                out.printf(Locale.ROOT, "ActivityNet detection mAP: %d ground-truth segments of %d classes, %d predictions%n",
                        truth.size(), r.apByClass().size(), preds.size());
                for (int t = 0; t < r.thresholds().length; t++) {
                    out.printf(Locale.ROOT, "  tIoU %.2f  mAP %s%n", r.thresholds()[t], percent(r.map()[t]));
                }
                out.printf(Locale.ROOT, "  average mAP (0.50:0.05:0.95) %s%n", percent(r.averageMap()));
                if (r.unknownLabels() > 0) {
                    out.printf(Locale.ROOT, "  %d predictions have a label that is no ground-truth class (ignored)%n", r.unknownLabels());
                }
            }
            return 0;
        }
    }

    @Command(name = "proposals", mixinStandardHelpOptions = true,
            description = {"Average recall against the average number of proposals per video (AR@AN) and its AUC,",
                "as ActivityNet's proposal evaluator: AR@1/5/10/100 and the area under the curve up to 100."})
    static final class Proposals implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ground-truth", required = true, paramLabel = "GT",
                description = "ActivityNet JSON, or THUMOS14 class lists (labels are ignored: proposals are class-agnostic).")
        Path groundTruth;

        @Option(names = "--proposals", required = true, paramLabel = "PROPOSALS.json",
                description = "ActivityNet results JSON (label optional).")
        Path proposals;

        @Option(names = "--subset", paramLabel = "NAME", description = "Only the ground truth of this subset; default: all.")
        String subset;

        @Option(names = "--json", description = "One JSON object, with the whole curve.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            List<Segment> truth = temporalTruth(groundTruth, subset);
            List<Segment> props = ActivityNetJson.readResults(proposals);
            // ActivityNet's curve: up to 100 proposals per video on average, so its n-th point is AR@n.
            ProposalRecall.Result r = ProposalRecall.evaluate(truth, props);
            int[] at = {1, 5, 10, 100};
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("metric", "activitynet_proposals_ar_an");
                o.put("ground_truth_segments", truth.size());
                o.put("proposals", props.size());
                Map<String, Double> ar = new LinkedHashMap<>();
                for (int n : at) {
                    ar.put("AR@" + n, round(r.at(n)));
                }
                o.put("average_recall", ar);
                o.put("auc", round(r.auc()));
                o.put("curve_proposals_per_video", Arrays.stream(r.proposalsPerVideo()).map(MetricsCommand::round).toArray());
                o.put("curve_average_recall", Arrays.stream(r.averageRecall()).map(MetricsCommand::round).toArray());
                out.println(Json.line(o));
            } else {
                out.printf(Locale.ROOT, "ActivityNet proposals: %d ground-truth segments, %d proposals%n", truth.size(), props.size());
                for (int n : at) {
                    out.printf(Locale.ROOT, "  AR@%-3d %s%n", n, percent(r.at(n)));
                }
                out.printf(Locale.ROOT, "  AUC    %.2f%n", r.auc());
            }
            return 0;
        }
    }

    @Command(name = "ava", mixinStandardHelpOptions = true,
            description = {"AVA frame-level mAP at IoU 0.5 (PASCAL VOC all-point AP per class, the official matching rule).",
                "Predictions: AVA CSV plus a score (video_id,timestamp,x1,y1,x2,y2,action_id,person_id,score;",
                "the official 8-column form without person_id is read too)."})
    static final class Ava implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--ground-truth", required = true, paramLabel = "GT.csv", description = "AVA CSV ground truth.")
        Path groundTruth;

        @Option(names = "--predictions", required = true, paramLabel = "PRED.csv", description = "AVA CSV detections with scores.")
        Path predictions;

        @Option(names = "--label-map", required = true, paramLabel = "LABELS",
                description = "AVA's pbtxt label map; only its classes are evaluated.")
        Path labelMap;

        @Option(names = "--exclusions", paramLabel = "EXCL.csv", description = "Excluded timestamps (video_id,timestamp).")
        Path exclusions;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        @Override
        public Integer call() throws IOException {
            Map<Integer, String> labels = AvaCsv.readLabelMap(labelMap);
            List<ActorBox> truth = AvaCsv.readGroundTruth(groundTruth);
            List<ActorBox> detections = AvaCsv.readDetections(predictions);
            Set<String> excluded = exclusions == null ? Set.of() : AvaCsv.readExclusions(exclusions);
            AvaFrameMap.Result r = AvaFrameMap.evaluate(truth, detections, labels, excluded);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("metric", "ava_frame_map");
                o.put("iou", AvaFrameMap.IOU_THRESHOLD);
                o.put("ground_truth_boxes", truth.size());
                o.put("detections", detections.size());
                o.put("excluded_timestamps", excluded.size());
                o.put("map", round(r.map()));
                Map<String, Double> perClass = new LinkedHashMap<>();
                r.apByClass().forEach((id, ap) -> perClass.put(labels.get(id), round(ap)));
                o.put("ap_by_class", perClass);
                out.println(Json.line(o));
            } else {
                out.printf(Locale.ROOT, "AVA frame mAP@0.5IoU: %d ground-truth boxes, %d detections, %d excluded timestamps%n",
                        truth.size(), detections.size(), excluded.size());
                r.apByClass().forEach((id, ap) -> out.printf(Locale.ROOT, "  %3d %-24s AP %s%n", id, labels.get(id), percent(ap)));
                out.printf(Locale.ROOT, "  mAP %s over %d classes with ground truth%n", percent(r.map()), r.apByClass().size());
            }
            return 0;
        }
    }

    @Command(name = "captions", mixinStandardHelpOptions = true,
            description = {"Caption BLEU-4 (NLTK's corpus_bleu) and CIDEr-D (the COCO evaluator's), or QA accuracy per question type.",
                "References: MSR-VTT captions ({\"sentences\": [{video_id, caption}]}, e.g. synth --captions' captions.json)",
                "with predictions [{video_id, caption}]; or a question list (qa.json) with predictions [{id, answer}]."})
    static final class Captions implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--references", required = true, paramLabel = "REF.json", description = "captions.json or qa.json.")
        Path references;

        @Option(names = "--predictions", required = true, paramLabel = "PRED.json", description = "Predicted captions or answers.")
        Path predictions;

        @Option(names = "--split", paramLabel = "SPLIT", description = "Only the references of this split (train, val, test).")
        String split;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        @Override
        public Integer call() {
            CaptionMetrics.Report r = CaptionMetrics.evaluate(references, predictions, split);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, Object> o = new LinkedHashMap<>();
            if (r.captions() != null) {
                CaptionMetrics.CaptionScores c = r.captions();
                o.put("metric", "captions");
                o.put("videos", c.videos());
                o.put("missing_videos", c.missing());
                o.put("bleu4", round(c.bleu4()));
                o.put("cider_d", round(c.ciderD()));
                if (!json) {
                    out.printf(Locale.ROOT, "captions of %d videos (%d reference videos not predicted)%n  BLEU-4  %.4f%n  CIDEr-D %.4f%n",
                            c.videos(), c.missing(), c.bleu4(), c.ciderD());
                }
            } else {
                CaptionMetrics.QaScores q = r.questions();
                o.put("metric", "qa_accuracy");
                o.put("missing_questions", q.missing());
                o.put("accuracy", round(q.accuracy().overall()));
                Map<String, Object> byType = new LinkedHashMap<>();
                q.accuracy().counts().forEach((type, c) -> byType.put(type,
                        Map.of("accuracy", round((double) c[0] / c[1]), "correct", c[0], "questions", c[1])));
                o.put("by_type", byType);
                if (!json) {
                    out.printf(Locale.ROOT, "question answering (%d reference questions not answered)%n", q.missing());
                    q.accuracy().counts().forEach((type, c) -> out.printf(Locale.ROOT, "  %-16s %s (%d of %d)%n", type,
                            percent((double) c[0] / c[1]), c[0], c[1]));
                    out.printf(Locale.ROOT, "  %-16s %s%n", "all", percent(q.accuracy().overall()));
                }
            }
            if (json) {
                out.println(Json.line(o));
            }
            return 0;
        }
    }
}

package dev.kinema.cli;

import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.DatasetOptions;
import dev.kinema.data.datasets.DatasetReport;
import dev.kinema.data.datasets.DatasetStats;
import dev.kinema.data.datasets.DatasetStats.Count;
import dev.kinema.data.datasets.DatasetStats.Durations;
import dev.kinema.data.datasets.DatasetStats.Result;
import dev.kinema.data.datasets.DatasetSummary;
import dev.kinema.data.datasets.VideoDataset;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema dataset}: look at a dataset on disk. */
@Command(name = "dataset", mixinStandardHelpOptions = true,
        description = "Datasets on disk (folder per class, Kinetics, UCF101, HMDB51, Something-Something v2, lists).",
        subcommands = {DatasetCommand.Stats.class})
final class DatasetCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = {"Counts per class and split; then every video is probed for durations per split,",
                "frame rates, sizes and the files that cannot be read (with the reason).",
                "Annotation problems are listed as file:line: reason.",
                "The exit code is 0 even when files are unreadable: it is a report."})
    static final class Stats implements Callable<Integer> {
        /** Histogram bars shown in the text report; --json has them all. */
        private static final int TOP = 5;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "The dataset root.")
        Path root;

        @Option(names = "--annotations", paramLabel = "FILE",
                description = "Annotation file or folder (default: looked for where the layout keeps it).")
        Path annotations;

        @Option(names = "--format", paramLabel = "NAME",
                description = "folder, kinetics, ucf101, hmdb51, ssv2, list or rawframes (default: detected).")
        String format;

        @Option(names = "--split", paramLabel = "N", description = "UCF101 / HMDB51 official split, 1 to 3 (default: 1).")
        Integer split;

        @Option(names = "--json", description = "One JSON object instead of the text report (no progress bar).")
        boolean json;

        @Option(names = "--verify", description = "Decode every frame (slow) to catch damage only the decoder sees.")
        boolean verify;

        @Option(names = "--workers", paramLabel = "W", description = "Files probed at once (default: one per core).")
        Integer workers;

        @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
                description = "Time bound per file; a file over it is unreadable (default: ${DEFAULT-VALUE}).")
        long timeoutSeconds;

        @Override
        public Integer call() throws IOException {
            DatasetOptions.Builder options = DatasetOptions.builder();
            if (format != null) {
                options.optFormat(format);
            }
            if (split != null) {
                options.optSplitNumber(split);
            }
            VideoDataset dataset = DatasetFormats.open(root, Optional.ofNullable(annotations), options.build());
            DatasetStats.Builder builder = DatasetStats.builder().setDataset(dataset).optVerify(verify)
                    .optTimeout(Duration.ofSeconds(timeoutSeconds));
            if (workers != null) {
                builder.optWorkers(workers);
            }
            DatasetStats stats = builder.build();
            Result result;
            if (json) {
                result = stats.compute(done -> {});
            } else {
                try (ProgressBar bar = ProgressBars.builder(verify ? "verify" : "probe",
                        stats.videoFiles().size(), " videos").build()) {
                    IntConsumer progress = done -> {
                        synchronized (bar) {
                            bar.stepTo(Math.max(bar.getCurrent(), done));
                        }
                    };
                    result = stats.compute(progress);
                }
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? Json.line(toJson(dataset, result)) + "\n" : text(dataset, result));
            out.flush();
            return 0;
        }

        private static String text(VideoDataset dataset, Result r) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%s: %s layout, %d classes, %d samples%n%n", dataset.root(),
                    dataset.format().id(), dataset.numClasses(), r.summary().total()));
            b.append(r.summary().format()).append('\n');
            b.append(String.format(Locale.ROOT, "%s %d video files with %d worker%s in %.1f s%s%n",
                    r.verified() ? "decoded every frame of" : "probed", r.videoFiles(), r.workers(),
                    r.workers() == 1 ? "" : "s", r.seconds(),
                    r.frameFolders() > 0 ? " (" + r.frameFolders() + " frame folders not probed)" : ""));
            durationTable(b, r);
            b.append("frame rate (fps): ").append(histogram(r.frameRates())).append('\n');
            b.append("size:             ").append(histogram(r.resolutions())).append("\n\n");
            if (r.unreadable().isEmpty()) {
                b.append("unreadable files: none\n");
            } else {
                b.append(String.format(Locale.ROOT, "unreadable files: %d of %d%n", r.unreadable().size(), r.videoFiles()));
                r.unreadable().forEach(u -> b.append("  ").append(u).append('\n'));
            }
            if (r.problems().isEmpty()) {
                b.append("annotation problems: none\n");
            } else {
                b.append("annotation problems: ").append(r.problems().size()).append('\n');
                r.problems().forEach(p -> b.append("  ").append(p).append('\n'));
            }
            return b.toString();
        }

        /** A row per split with readable videos, then one over all of them. */
        private static void durationTable(StringBuilder b, Result r) {
            Map<String, Durations> rows = new LinkedHashMap<>(r.durationsBySplit());
            String allRow = rows.containsKey("all") ? "(all splits)" : "all";
            rows.put(allRow, r.durations());
            int nameWidth = "duration (s)".length();
            for (String name : rows.keySet()) {
                nameWidth = Math.max(nameWidth, name.length());
            }
            String head = "%-" + nameWidth + "s  %6s  %7s  %7s  %7s  %7s  %7s%n";
            String row = "%-" + nameWidth + "s  %6d  %7.2f  %7.2f  %7.2f  %7.2f  %7.3f%n";
            b.append(String.format(Locale.ROOT, head, "duration (s)", "videos", "min", "median", "mean", "max", "hours"));
            rows.forEach((name, d) -> b.append(String.format(Locale.ROOT, row, name, d.videos(), d.minSeconds(),
                    d.medianSeconds(), d.meanSeconds(), d.maxSeconds(), d.totalHours())));
            b.append('\n');
        }

        /** The most common values with their counts, then how many videos have any other value. */
        private static String histogram(List<Count> counts) {
            if (counts.isEmpty()) {
                return "-";
            }
            List<String> parts = new ArrayList<>();
            for (Count c : counts.subList(0, Math.min(TOP, counts.size()))) {
                parts.add(c.value() + " (" + c.videos() + ")");
            }
            if (counts.size() > TOP) {
                int rest = 0;
                for (Count c : counts.subList(TOP, counts.size())) {
                    rest += c.videos();
                }
                parts.add((counts.size() - TOP) + " other values (" + rest + ")");
            }
            return String.join(", ", parts);
        }

        private static Map<String, Object> toJson(VideoDataset dataset, Result r) {
            DatasetSummary s = r.summary();
            Map<String, Object> counts = new LinkedHashMap<>();
            Map<String, Object> unlabeled = new LinkedHashMap<>();
            for (String split : s.splits()) {
                Map<String, Integer> perClass = new LinkedHashMap<>();
                for (int c = 0; c < s.labels().size(); c++) {
                    perClass.put(s.labels().get(c), s.count(split, c));
                }
                counts.put(split, perClass);
                unlabeled.put(split, s.unlabeled(split));
            }
            Map<String, Object> bySplit = new LinkedHashMap<>();
            r.durationsBySplit().forEach((split, d) -> bySplit.put(split, durations(d)));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("root", dataset.root());
            o.put("format", dataset.format().id());
            o.put("classes", s.labels());
            o.put("splits", s.splits());
            o.put("counts", counts);
            o.put("unlabeled", unlabeled);
            o.put("samples", s.total());
            o.put("problems", r.problems().stream().map(DatasetReport.Problem::toString).toList());
            o.put("videoFiles", r.videoFiles());
            o.put("frameFolders", r.frameFolders());
            o.put("verified", r.verified());
            o.put("workers", r.workers());
            o.put("seconds", r.seconds());
            o.put("durationsBySplit", bySplit);
            o.put("durations", durations(r.durations()));
            o.put("frameRates", r.frameRates());
            o.put("resolutions", r.resolutions());
            o.put("unreadableCount", r.unreadable().size());
            o.put("unreadable", r.unreadable());
            return o;
        }

        private static Map<String, Object> durations(Durations d) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("videos", d.videos());
            o.put("minSeconds", finiteOrNull(d.minSeconds()));
            o.put("medianSeconds", finiteOrNull(d.medianSeconds()));
            o.put("meanSeconds", finiteOrNull(d.meanSeconds()));
            o.put("maxSeconds", finiteOrNull(d.maxSeconds()));
            o.put("totalSeconds", d.totalSeconds());
            o.put("totalHours", d.totalHours());
            return o;
        }

        /** JSON has no NaN: a split with no readable video has no statistics. */
        private static Double finiteOrNull(double v) {
            return Double.isFinite(v) ? v : null;
        }
    }
}

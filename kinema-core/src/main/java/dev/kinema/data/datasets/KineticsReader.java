package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Kinetics (400/600/700) as the ActivityNet crawler and the CVDF mirror leave it: CSV files with
 * the header {@code label,youtube_id,time_start,time_end,split} (optionally {@code ,is_cc}; the test
 * CSVs have no {@code label}), and clips named {@code {youtube_id}_{time_start:06d}_{time_end:06d}.mp4}
 * under {@code root/<split>/}, optionally in a folder per label ({@code root/<split>/<label>/}).
 *
 * <p>The CSVs are the annotation file given, or every CSV with a {@code youtube_id} column in the
 * annotation folder given, else in {@code root} or {@code root/annotations}. Classes are the label
 * names of all CSVs read, sorted by code point (torchvision's order), unless a label map is given.
 * The split is the row's {@code split} column, else the one the CSV's name says, else "all".
 *
 * <p>A clip found under its trimmed name (any video extension) is a whole-file sample; when only the
 * untrimmed {@code {youtube_id}.mp4} is there, the sample is that video with the CSV's times.
 */
final class KineticsReader implements DatasetReader {
    private record Row(Path csv, int line, String label, String youtubeId, double start, double end, String split) {}

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException {
        if (annotations.isPresent()) {
            Path a = annotations.get();
            if (Files.isRegularFile(a)) {
                return isKineticsCsv(a) ? Optional.of(a) : Optional.empty();
            }
            return Files.isDirectory(a) && !csvs(a).isEmpty() ? Optional.of(a) : Optional.empty();
        }
        return Files2.firstDir(List.of(root, root.resolve("annotations")), d -> !csvs(d).isEmpty());
    }

    static boolean isKineticsCsv(Path file) throws IOException {
        if (!file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv")) {
            return false;
        }
        TextLines.Line first = TextLines.first(file);
        if (first == null) {
            return false;
        }
        List<String> header = Csv.split(first.text());
        return header != null && header.stream().anyMatch(h -> h.strip().equalsIgnoreCase("youtube_id"));
    }

    private static List<Path> csvs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : Files2.listFiles(dir, n -> n.toLowerCase(Locale.ROOT).endsWith(".csv"))) {
            if (isKineticsCsv(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Problems problems = new Problems(root, options.strict());
        Path where = locate(root, annotations).orElseThrow(() -> problems.fatal(annotations.orElse(root), -1,
                "no Kinetics CSV (a header with youtube_id) found"
                        + (annotations.isEmpty() ? " in the root or its annotations/ folder" : "")));
        List<Path> files = Files.isRegularFile(where) ? List.of(where) : csvs(where);
        files = new ArrayList<>(files);
        files.sort((a, b) -> Splits.ORDER.compare(splitOf(a), splitOf(b)));

        List<Row> rows = new ArrayList<>();
        for (Path csv : files) {
            readCsv(csv, problems, rows);
        }
        Labels labels;
        if (options.labelMap().isPresent()) {
            labels = Labels.readMap(options.labelMap().get(), problems);
        } else {
            List<String> names = new ArrayList<>();
            for (Row r : rows) {
                if (r.label != null) {
                    names.add(r.label);
                }
            }
            labels = Labels.sorted(names);
        }

        Clips clips = new Clips(root, options);
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        for (Row r : rows) {
            List<VideoSample> out = splits.computeIfAbsent(r.split, k -> new ArrayList<>());
            int label = -1;
            if (r.label != null) {
                label = labels.indexOf(r.label);
                if (label < 0) {
                    problems.add(Kind.UNKNOWN_LABEL, r.csv, r.line, "unknown class '" + r.label + "'");
                    continue;
                }
            }
            String clip = r.youtubeId + "_" + pad6((long) r.start) + "_" + pad6((long) r.end);
            Path expected = clips.dir(r.split).resolve(clip + ".mp4");
            if (!options.checkFiles()) {
                out.add(new VideoSample(expected, label, r.label, r.split, Double.NaN, Double.NaN, r.csv, r.line, null));
                continue;
            }
            Map<String, Path> index = clips.index(r.split);
            Path trimmed = index.get(clip);
            if (trimmed != null) {
                out.add(new VideoSample(trimmed, label, r.label, r.split, Double.NaN, Double.NaN, r.csv, r.line, null));
            } else if (index.containsKey(r.youtubeId)) {
                out.add(new VideoSample(index.get(r.youtubeId), label, r.label, r.split, r.start, r.end, r.csv, r.line,
                        null));
            } else {
                problems.add(Kind.MISSING_FILE, r.csv, r.line, "missing file " + problems.display(expected));
            }
        }
        return new VideoDataset(DatasetFormat.KINETICS, root, labels.names(), splits, problems.report());
    }

    /** Python's {@code '%06d' % n} for n >= 0. */
    private static String pad6(long n) {
        String s = Long.toString(n);
        return s.length() >= 6 ? s : "000000".substring(s.length()) + s;
    }

    private static String splitOf(Path csv) {
        String s = Splits.fromFileName(csv.getFileName().toString());
        return s == null ? Splits.ALL : s;
    }

    private static void readCsv(Path csv, Problems problems, List<Row> rows) throws IOException {
        List<TextLines.Line> lines = TextLines.read(csv);
        if (lines.isEmpty()) {
            return;
        }
        TextLines.Line head = lines.get(0);
        List<String> header = Csv.split(head.text());
        Map<String, Integer> col = new HashMap<>();
        if (header != null) {
            for (int i = 0; i < header.size(); i++) {
                col.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
            }
        }
        for (String need : List.of("youtube_id", "time_start", "time_end")) {
            if (!col.containsKey(need)) {
                problems.add(Kind.MALFORMED, csv, head.number(), "no '" + need
                        + "' column in the header (expected label,youtube_id,time_start,time_end,split)");
                return;
            }
        }
        int idCol = col.get("youtube_id");
        int startCol = col.get("time_start");
        int endCol = col.get("time_end");
        int labelCol = col.getOrDefault("label", -1);
        int splitCol = col.getOrDefault("split", -1);
        String fileSplit = splitOf(csv);
        for (TextLines.Line line : lines.subList(1, lines.size())) {
            List<String> f = Csv.split(line.text());
            if (f == null) {
                problems.add(Kind.MALFORMED, csv, line.number(), "unclosed quote");
                continue;
            }
            if (f.size() != header.size()) {
                problems.add(Kind.MALFORMED, csv, line.number(),
                        "expected " + header.size() + " fields as in the header, got " + f.size());
                continue;
            }
            String id = f.get(idCol).strip();
            if (id.isEmpty()) {
                problems.add(Kind.MALFORMED, csv, line.number(), "empty youtube_id");
                continue;
            }
            Double start = seconds(f.get(startCol));
            Double end = seconds(f.get(endCol));
            if (start == null || end == null) {
                problems.add(Kind.MALFORMED, csv, line.number(), "time_start and time_end must be seconds, got '"
                        + f.get(startCol).strip() + "' and '" + f.get(endCol).strip() + "'");
                continue;
            }
            if (end < start) {
                problems.add(Kind.MALFORMED, csv, line.number(), "time_end " + f.get(endCol).strip()
                        + " is before time_start " + f.get(startCol).strip());
                continue;
            }
            String label = labelCol >= 0 ? f.get(labelCol).strip() : "";
            String split = splitCol >= 0 ? f.get(splitCol).strip() : "";
            rows.add(new Row(csv, line.number(), label.isEmpty() ? null : label, id, start, end,
                    split.isEmpty() ? fileSplit : split));
        }
    }

    private static Double seconds(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isFinite(v) && v >= 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Finds clip files: one listing of each split folder and its label folders, built on first use. */
    private static final class Clips {
        private final Path root;
        private final DatasetOptions options;
        private final Map<Path, Map<String, Path>> indexes = new HashMap<>();

        Clips(Path root, DatasetOptions options) {
            this.root = root;
            this.options = options;
        }

        /** {@code root/<split>}, or the folder of another name of that split, or the root itself. */
        Path dir(String split) {
            Path d = root.resolve(split);
            if (Files.isDirectory(d)) {
                return d;
            }
            String canonical = Splits.canonical(split);
            if (canonical != null) {
                for (String alias : List.of("train", "training", "val", "valid", "validate", "validation", "test",
                        "testing")) {
                    if (canonical.equals(Splits.canonical(alias)) && Files.isDirectory(root.resolve(alias))) {
                        return root.resolve(alias);
                    }
                }
            }
            return split.equals(Splits.ALL) ? root : d;
        }

        /** File name without extension → file, for the videos in the split folder and one level below. */
        Map<String, Path> index(String split) throws IOException {
            Path d = dir(split);
            if (!Files.isDirectory(d)) {
                d = root;
            }
            Map<String, Path> index = indexes.get(d);
            if (index == null) {
                index = new HashMap<>();
                List<Path> subdirs = new ArrayList<>();
                add(d, index, subdirs);
                for (Path sub : subdirs) {
                    add(sub, index, null);
                }
                indexes.put(d, index);
            }
            return index;
        }

        private void add(Path dir, Map<String, Path> index, List<Path> subdirs) throws IOException {
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path p : stream) {
                    String name = p.getFileName().toString();
                    if (name.startsWith(".")) {
                        continue;
                    }
                    if (options.isVideoFile(name)) {
                        // Named like a video: no stat needed, the listing shows it is there. When a
                        // clip is there twice (two label folders, two extensions) the smaller path
                        // wins, whatever order the listing came in.
                        index.merge(name.substring(0, name.lastIndexOf('.')), p, (x, y) -> x.compareTo(y) <= 0 ? x : y);
                    } else if (subdirs != null && Files.isDirectory(p)) {
                        subdirs.add(p);
                    }
                }
            }
            if (subdirs != null) {
                subdirs.sort(null);
            }
        }
    }
}

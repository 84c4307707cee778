package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MMAction2's plain annotation lists, paths relative to {@code root} (MMAction2's
 * {@code data_prefix}), fields split on whitespace (so paths hold no spaces):
 * <ul>
 *   <li>videos (VideoDataset): {@code some/path/000.mp4 1}</li>
 *   <li>frame folders (RawframeDataset): {@code some/directory-1 163 1} (frame_dir, total_frames,
 *       label), or with an offset, for clips cut from a longer folder,
 *       {@code some/directory-1 12 163 3} (frame_dir, offset, total_frames, label). Frames are
 *       named by the frame template, {@code img_{:05}.jpg} numbered from 1 (+ offset) by default.</li>
 * </ul>
 * Labels are 0-based class indices; a class name in their place is taken too (classes then sorted
 * by code point). A label map names the classes (and checks them); without one, integer labels
 * are named "0", "1", ... up to the highest. Multi-label lines are not read.
 *
 * <p>The annotation argument is one list file, or a folder whose {@code .txt} lists are read one
 * split each. A list's split comes from its name ({@code kinetics400_train_list_videos.txt} is
 * "train"), else its file name stem, or "all" for a single list.
 */
final class ListReader implements DatasetReader {
    private final boolean frames;

    private record Row(Path file, int line, String path, int offset, int count, String label, String split) {}

    ListReader(boolean frames) {
        this.frames = frames;
    }

    /** True for a rawframes list, false for a video list, null for neither, judged by its first line. */
    static Boolean sniff(Path file) throws IOException {
        TextLines.Line first = TextLines.first(file);
        if (first == null) {
            return null;
        }
        String[] f = first.fields();
        if (f.length == 2) {
            return false;
        }
        if ((f.length == 3 || f.length == 4) && TextLines.isInt(f[1]) && TextLines.isInt(f[2])) {
            return true;
        }
        if (f.length == 3 && TextLines.isInt(f[1])) {
            return true;
        }
        return null;
    }

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException {
        if (annotations.isEmpty()) {
            return Optional.empty();
        }
        Path a = annotations.get();
        if (Files.isRegularFile(a)) {
            return Boolean.valueOf(frames).equals(sniff(a)) ? Optional.of(a) : Optional.empty();
        }
        return Files.isDirectory(a) && !lists(a).isEmpty() ? Optional.of(a) : Optional.empty();
    }

    private List<Path> lists(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : Files2.listFiles(dir, n -> n.toLowerCase(Locale.ROOT).endsWith(".txt"))) {
            if (Boolean.valueOf(frames).equals(sniff(p))) {
                out.add(p);
            }
        }
        return out;
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Problems problems = new Problems(root, options.strict());
        DatasetFormat format = frames ? DatasetFormat.RAWFRAMES : DatasetFormat.VIDEO_LIST;
        if (annotations.isEmpty()) {
            throw problems.fatal(root, -1, "the " + format.id() + " format needs an annotation list file");
        }
        Path a = annotations.get();
        List<Path> files;
        if (Files.isRegularFile(a)) {
            files = List.of(a);
        } else if (Files.isDirectory(a)) {
            files = lists(a);
            if (files.isEmpty()) {
                throw problems.fatal(a, -1, "no " + (frames ? "'frame_dir total_frames label'" : "'path label'")
                        + " lists (.txt) in this folder");
            }
        } else {
            throw problems.fatal(a, -1, "not found");
        }

        List<Row> rows = new ArrayList<>();
        for (Path file : files) {
            String split = Splits.fromFileName(file.getFileName().toString());
            if (split == null) {
                String name = file.getFileName().toString();
                split = files.size() == 1 ? Splits.ALL : name.substring(0, name.lastIndexOf('.'));
            }
            for (TextLines.Line line : TextLines.read(file)) {
                Row r = parse(file, line, split, problems);
                if (r != null) {
                    rows.add(r);
                }
            }
        }

        Labels labels;
        boolean numeric = rows.stream().allMatch(r -> TextLines.isInt(r.label));
        if (options.labelMap().isPresent()) {
            labels = Labels.readMap(options.labelMap().get(), problems);
        } else if (numeric) {
            int max = rows.stream().mapToInt(r -> Integer.parseInt(r.label)).max().orElse(-1);
            List<String> names = new ArrayList<>();
            for (int i = 0; i <= max; i++) {
                names.add(Integer.toString(i));
            }
            labels = new Labels(names);
        } else {
            labels = Labels.sorted(rows.stream().map(Row::label).toList());
        }

        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        for (Row r : rows) {
            List<VideoSample> out = splits.computeIfAbsent(r.split, k -> new ArrayList<>());
            int label;
            Integer idx = TextLines.parseInt(r.label);
            if (idx != null && (numeric || options.labelMap().isPresent())) {
                if (idx >= labels.size()) {
                    problems.add(Kind.UNKNOWN_LABEL, r.file, r.line, "unknown class index " + idx + " (the label map has "
                            + labels.size() + " classes)");
                    continue;
                }
                label = idx;
            } else {
                label = labels.indexOf(r.label);
                if (label < 0) {
                    problems.add(Kind.UNKNOWN_LABEL, r.file, r.line, "unknown class '" + r.label + "'");
                    continue;
                }
            }
            Path path = Files2.under(root, r.path);
            if (options.checkFiles() && !(frames ? Files.isDirectory(path) : Files.isRegularFile(path))) {
                problems.add(Kind.MISSING_FILE, r.file, r.line,
                        (frames ? "missing frame folder " : "missing file ") + problems.display(path));
                continue;
            }
            if (frames) {
                FrameFolder f = new FrameFolder(path, options.frameTemplate(), 1 + r.offset, r.count);
                out.add(VideoSample.ofFrames(f, label, labels.name(label), r.split, r.file, r.line));
            } else {
                out.add(VideoSample.ofFile(path, label, labels.name(label), r.split, r.file, r.line));
            }
        }
        return new VideoDataset(format, root, labels.names(), splits, problems.report());
    }

    private Row parse(Path file, TextLines.Line line, String split, Problems problems) {
        String[] f = line.fields();
        if (!frames) {
            if (f.length != 2) {
                problems.add(Kind.MALFORMED, file, line.number(), "expected 'path label', got " + f.length
                        + (f.length == 1 ? " field" : " fields"));
                return null;
            }
            return checkLabel(file, line, problems, new Row(file, line.number(), f[0], 0, 0, f[1], split));
        }
        if (f.length != 3 && f.length != 4) {
            problems.add(Kind.MALFORMED, file, line.number(), "expected 'frame_dir total_frames label' or "
                    + "'frame_dir offset total_frames label', got " + f.length + (f.length == 1 ? " field" : " fields"));
            return null;
        }
        Integer offset = f.length == 4 ? TextLines.parseInt(f[1]) : Integer.valueOf(0);
        Integer count = TextLines.parseInt(f[f.length - 2]);
        if (offset == null || offset < 0) {
            problems.add(Kind.MALFORMED, file, line.number(), "offset '" + f[1] + "' is not a frame number");
            return null;
        }
        if (count == null || count <= 0) {
            problems.add(Kind.MALFORMED, file, line.number(), "total_frames '" + f[f.length - 2] + "' is not a positive number");
            return null;
        }
        return checkLabel(file, line, problems, new Row(file, line.number(), f[0], offset, count, f[f.length - 1], split));
    }

    private static Row checkLabel(Path file, TextLines.Line line, Problems problems, Row r) {
        Integer idx = TextLines.parseInt(r.label);
        if (idx != null && idx < 0) {
            problems.add(Kind.MALFORMED, file, line.number(), "class index " + idx + " is negative");
            return null;
        }
        return r;
    }
}

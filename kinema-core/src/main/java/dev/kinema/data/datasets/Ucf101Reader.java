package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * UCF101's recognition split files ({@code ucfTrainTestlist/}): {@code classInd.txt} ("1
 * ApplyEyeMakeup", 1-based), {@code trainlist0N.txt} ("ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1")
 * and {@code testlist0N.txt} (paths only: the class is the path's folder), N = 1, 2 or 3.
 *
 * <p>Labels are 0-based ({@code classInd} index - 1), as torchvision's UCF101 gives them. Videos
 * are under {@code root} ({@code root/ApplyEyeMakeup/v_...avi}), or under {@code root/UCF-101} when
 * that is where the archive was unpacked. The split files are the annotation folder (or a file in
 * it) given, else the first of {@code root}, {@code root/ucfTrainTestlist}, {@code root/annotations},
 * {@code ../ucfTrainTestlist} holding {@code classInd.txt}. Splits are "train" and "test".
 */
final class Ucf101Reader implements DatasetReader {
    static final String CLASS_IND = "classInd.txt";
    private static final Pattern LIST = Pattern.compile("(?:train|test)list(\\d+)\\.txt", Pattern.CASE_INSENSITIVE);

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException {
        if (annotations.isPresent()) {
            Path a = annotations.get();
            if (Files.isRegularFile(a)) {
                String name = a.getFileName().toString();
                if (name.equals(CLASS_IND) || LIST.matcher(name).matches()) {
                    Path dir = a.toAbsolutePath().getParent();
                    return Files.isRegularFile(dir.resolve(CLASS_IND)) ? Optional.of(dir) : Optional.empty();
                }
                return Optional.empty();
            }
            return Files2.firstDir(List.of(a, a.resolve("ucfTrainTestlist")), Ucf101Reader::hasClassInd);
        }
        return Files2.firstDir(Arrays.asList(root, root.resolve("ucfTrainTestlist"), root.resolve("annotations"),
                Files2.resolve(Files2.parent(root), "ucfTrainTestlist")), Ucf101Reader::hasClassInd);
    }

    private static boolean hasClassInd(Path dir) {
        return Files.isRegularFile(dir.resolve(CLASS_IND));
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Problems problems = new Problems(root, options.strict());
        Path dir = locate(root, annotations).orElseThrow(() -> problems.fatal(annotations.orElse(root), -1,
                "no " + CLASS_IND + " found" + (annotations.isEmpty()
                        ? " in the root, ucfTrainTestlist/, annotations/ or ../ucfTrainTestlist/" : "")));
        int n = splitNumber(options, annotations);
        Path classInd = dir.resolve(CLASS_IND);
        Labels labels = readClassInd(classInd, problems);

        Path videos = root;
        if (!Files.isDirectory(root.resolve(labels.name(0))) && Files.isDirectory(root.resolve("UCF-101"))) {
            videos = root.resolve("UCF-101");
        }
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        for (String split : List.of("train", "test")) {
            Path list = dir.resolve(String.format(Locale.ROOT, "%slist%02d.txt", split, n));
            if (!Files.isRegularFile(list)) {
                throw problems.fatal(list, -1, "not found (UCF101 has splits 1, 2 and 3)");
            }
            splits.put(split, readList(list, split, labels, classInd, videos, options, problems));
        }
        return new VideoDataset(DatasetFormat.UCF101, root, labels.names(), splits, problems.report());
    }

    /** The split number asked for, else the one in the annotation file's name, else 1. */
    private static int splitNumber(DatasetOptions options, Optional<Path> annotations) {
        if (options.splitNumber() > 0) {
            return options.splitNumber();
        }
        if (annotations.isPresent() && annotations.get().getFileName() != null) {
            Matcher m = LIST.matcher(annotations.get().getFileName().toString());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 1;
    }

    private static Labels readClassInd(Path file, Problems problems) throws IOException {
        Map<Integer, String> byIndex = new LinkedHashMap<>();
        Map<Integer, Integer> lineOf = new LinkedHashMap<>();
        for (TextLines.Line line : TextLines.read(file)) {
            String[] f = line.fields();
            Integer idx = f.length == 2 ? TextLines.parseInt(f[0]) : null;
            if (idx == null) {
                problems.add(Kind.MALFORMED, file, line.number(), "expected 'index ClassName', got '" + line.text().strip() + "'");
                continue;
            }
            if (byIndex.containsKey(idx)) {
                throw problems.fatal(file, line.number(), "class index " + idx + " already given on line " + lineOf.get(idx));
            }
            byIndex.put(idx, f[1]);
            lineOf.put(idx, line.number());
        }
        if (byIndex.isEmpty()) {
            throw problems.fatal(file, -1, "no classes");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= byIndex.size(); i++) {
            String name = byIndex.get(i);
            if (name == null) {
                throw problems.fatal(file, -1, "class indices must run from 1 to " + byIndex.size() + " but " + i + " is missing");
            }
            names.add(name);
        }
        try {
            return new Labels(names);
        } catch (IllegalArgumentException e) {
            throw problems.fatal(file, -1, e.getMessage());
        }
    }

    private static List<VideoSample> readList(Path list, String split, Labels labels, Path classInd, Path videos,
            DatasetOptions options, Problems problems) throws IOException {
        List<VideoSample> out = new ArrayList<>();
        String classIndName = classInd.getFileName().toString();
        for (TextLines.Line line : TextLines.read(list)) {
            String[] f = line.fields();
            if (f.length > 2) {
                problems.add(Kind.MALFORMED, list, line.number(),
                        "expected 'Class/video.avi [index]', got " + f.length + " fields");
                continue;
            }
            String rel = f[0].replace('\\', '/');
            int slash = rel.indexOf('/');
            String folder = slash > 0 ? rel.substring(0, slash) : null;
            int label;
            if (f.length == 2) {
                Integer idx = TextLines.parseInt(f[1]);
                if (idx == null) {
                    problems.add(Kind.MALFORMED, list, line.number(), "class index '" + f[1] + "' is not a number");
                    continue;
                }
                if (idx < 1 || idx > labels.size()) {
                    problems.add(Kind.UNKNOWN_LABEL, list, line.number(), "unknown class index " + idx + " ("
                            + classIndName + " has " + labels.size() + " classes)");
                    continue;
                }
                label = idx - 1;
                if (folder != null && !folder.equals(labels.name(label))) {
                    problems.add(Kind.MALFORMED, list, line.number(), "class index " + idx + " is '"
                            + labels.name(label) + "' but the video is in folder '" + folder + "'");
                    continue;
                }
            } else {
                if (folder == null) {
                    problems.add(Kind.MALFORMED, list, line.number(), "no class folder in '" + rel + "'");
                    continue;
                }
                label = labels.indexOf(folder);
                if (label < 0) {
                    problems.add(Kind.UNKNOWN_LABEL, list, line.number(), "unknown class '" + folder + "'");
                    continue;
                }
            }
            Path video = Files2.under(videos, rel);
            if (options.checkFiles() && !Files.isRegularFile(video)) {
                problems.add(Kind.MISSING_FILE, list, line.number(), "missing file " + problems.display(video));
                continue;
            }
            out.add(VideoSample.ofFile(video, label, labels.name(label), split, list, line.number()));
        }
        return out;
    }
}

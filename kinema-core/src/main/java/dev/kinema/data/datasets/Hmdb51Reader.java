package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HMDB51's official splits ({@code testTrainMulti_7030_splits/}): one file per class and split,
 * {@code <class>_test_split<N>.txt}, N = 1, 2 or 3, each line "video.avi tag" with tag 1 = train,
 * 2 = test, 0 = not used in that split (skipped, not a problem). Class names may hold underscores
 * ({@code climb_stairs_test_split1.txt}).
 *
 * <p>HMDB51 has no class index file: classes are the class names sorted by code point (the order of
 * the class folders that torchvision's HMDB51 uses), unless a label map is given. Videos are
 * {@code root/<class>/<video.avi>}. The split files are the annotation folder (or a file in it)
 * given, else the first of {@code root}, {@code root/testTrainMulti_7030_splits},
 * {@code root/annotations}, {@code root/annotations/testTrainMulti_7030_splits},
 * {@code ../testTrainMulti_7030_splits} holding them. Splits are "train" and "test".
 */
final class Hmdb51Reader implements DatasetReader {
    static final Pattern SPLIT_FILE = Pattern.compile("(.+)_test_split(\\d+)\\.txt");
    private static final String SPLITS_DIR = "testTrainMulti_7030_splits";

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException {
        if (annotations.isPresent()) {
            Path a = annotations.get();
            if (Files.isRegularFile(a)) {
                return SPLIT_FILE.matcher(a.getFileName().toString()).matches()
                        ? Optional.of(a.toAbsolutePath().getParent()) : Optional.empty();
            }
            return Files2.firstDir(List.of(a, a.resolve(SPLITS_DIR)), Hmdb51Reader::hasSplitFiles);
        }
        return Files2.firstDir(Arrays.asList(root, root.resolve(SPLITS_DIR), root.resolve("annotations"),
                root.resolve("annotations").resolve(SPLITS_DIR), Files2.resolve(Files2.parent(root), SPLITS_DIR)),
                Hmdb51Reader::hasSplitFiles);
    }

    private static boolean hasSplitFiles(Path dir) throws IOException {
        return !Files2.listFiles(dir, n -> SPLIT_FILE.matcher(n).matches()).isEmpty();
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Problems problems = new Problems(root, options.strict());
        Path dir = locate(root, annotations).orElseThrow(() -> problems.fatal(annotations.orElse(root), -1,
                "no HMDB51 split files (<class>_test_split<N>.txt) found"));
        int n = options.splitNumber();
        if (n == 0 && annotations.isPresent() && Files.isRegularFile(annotations.get())) {
            Matcher m = SPLIT_FILE.matcher(annotations.get().getFileName().toString());
            n = m.matches() ? Integer.parseInt(m.group(2)) : 0;
        }
        if (n == 0) {
            n = 1;
        }
        TreeMap<String, Path> files = new TreeMap<>(Labels.CODE_POINT_ORDER);
        for (Path f : Files2.listFiles(dir, name -> SPLIT_FILE.matcher(name).matches())) {
            Matcher m = SPLIT_FILE.matcher(f.getFileName().toString());
            if (m.matches() && Integer.parseInt(m.group(2)) == n) {
                files.put(m.group(1), f);
            }
        }
        if (files.isEmpty()) {
            throw problems.fatal(dir, -1, "no split files for split " + n + " (<class>_test_split" + n + ".txt)");
        }
        Labels labels = options.labelMap().isPresent()
                ? Labels.readMap(options.labelMap().get(), problems)
                : Labels.sorted(files.keySet());

        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> test = new ArrayList<>();
        // Class order, then line order, so both splits list classes as the class list does.
        List<String> classes = new ArrayList<>(files.keySet());
        classes.sort((a, b) -> Integer.compare(rank(labels, a), rank(labels, b)));
        for (String name : classes) {
            Path file = files.get(name);
            int label = labels.indexOf(name);
            for (TextLines.Line line : TextLines.read(file)) {
                String[] f = line.fields();
                Integer tag = f.length == 2 ? TextLines.parseInt(f[1]) : null;
                if (tag == null || tag < 0 || tag > 2) {
                    problems.add(Kind.MALFORMED, file, line.number(),
                            "expected 'video.avi 0|1|2', got '" + line.text().strip() + "'");
                    continue;
                }
                if (tag == 0) {
                    continue;
                }
                if (label < 0) {
                    problems.add(Kind.UNKNOWN_LABEL, file, line.number(), "unknown class '" + name + "' (not in the label map)");
                    continue;
                }
                Path video = Files2.under(root.resolve(name), f[0]);
                if (options.checkFiles() && !Files.isRegularFile(video)) {
                    problems.add(Kind.MISSING_FILE, file, line.number(), "missing file " + problems.display(video));
                    continue;
                }
                String split = tag == 1 ? "train" : "test";
                (tag == 1 ? train : test).add(VideoSample.ofFile(video, label, name, split, file, line.number()));
            }
        }
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        splits.put("train", train);
        splits.put("test", test);
        return new VideoDataset(DatasetFormat.HMDB51, root, labels.names(), splits, problems.report());
    }

    private static int rank(Labels labels, String name) {
        int i = labels.indexOf(name);
        return i < 0 ? Integer.MAX_VALUE : i;
    }
}

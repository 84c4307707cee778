package dev.kinema.data.datasets;

import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A folder per class, as torchvision's {@code ImageFolder}/{@code DatasetFolder} read them:
 * {@code root/<class>/<video>}, or {@code root/<split>/<class>/<video>} when folders under the root
 * are named train/val/test (or training, validation, valid, testing).
 *
 * <p>Classes are the class folder names sorted by code point, case-sensitive (Python's
 * {@code sorted()}, as torchvision's {@code find_classes} does), taken over all splits together so a
 * class has the same index in every split. Inside a class folder, video files (by extension) are
 * samples, and so is every sub-folder holding frames named by the frame template; other
 * sub-folders are searched the same way, as torchvision walks them. Files come before sub-folders,
 * each sorted by name. Hidden entries (".x") are ignored, and so are folders next to the split
 * folders that are not splits. Without split folders, the single split is called "all".
 */
final class FolderReader implements DatasetReader {
    private static final int MAX_DEPTH = 8;

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException {
        if (annotations.isEmpty() && Files.isDirectory(root) && !Files2.listDirs(root).isEmpty()) {
            return Optional.of(root);
        }
        return Optional.empty();
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Problems problems = new Problems(root, options.strict());
        if (annotations.isPresent()) {
            throw problems.fatal(annotations.get(), -1, "the folder format reads no annotation file (its classes "
                    + "are its folders); give a class order with a label map instead");
        }
        if (!Files.isDirectory(root)) {
            throw problems.fatal(root, -1, "not a directory");
        }
        List<Path> top = Files2.listDirs(root);
        Map<String, List<Path>> classDirs = new LinkedHashMap<>();
        for (Path d : top) {
            if (Splits.isKnown(d.getFileName().toString())) {
                classDirs.put(d.getFileName().toString(), Files2.listDirs(d));
            }
        }
        if (classDirs.isEmpty()) {
            classDirs.put(Splits.ALL, top);
        }
        Set<String> names = new LinkedHashSet<>();
        for (List<Path> dirs : classDirs.values()) {
            for (Path d : dirs) {
                names.add(d.getFileName().toString());
            }
        }
        Labels labels = options.labelMap().isPresent()
                ? Labels.readMap(options.labelMap().get(), problems)
                : Labels.sorted(names);
        if (labels.size() == 0) {
            throw problems.fatal(root, -1, "no class folders");
        }

        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        for (var e : classDirs.entrySet()) {
            String split = e.getKey();
            List<Path> dirs = new ArrayList<>(e.getValue());
            // Class order, then file order within the class, as ImageFolder lists samples.
            dirs.sort((a, b) -> Integer.compare(labels.indexOf(a.getFileName().toString()),
                    labels.indexOf(b.getFileName().toString())));
            List<VideoSample> samples = new ArrayList<>();
            for (Path classDir : dirs) {
                String name = classDir.getFileName().toString();
                int label = labels.indexOf(name);
                if (label < 0) {
                    problems.add(Kind.UNKNOWN_LABEL, classDir, -1, "unknown class '" + name + "' (not in the label map)");
                    continue;
                }
                int before = samples.size();
                collect(classDir, label, name, split, options, problems, samples, 0);
                if (samples.size() == before) {
                    problems.add(Kind.EMPTY_CLASS, classDir, -1, "no video files or frame folders");
                }
            }
            splits.put(split, samples);
        }
        return new VideoDataset(DatasetFormat.FOLDER, root, labels.names(), splits, problems.report());
    }

    private static void collect(Path dir, int label, String name, String split, DatasetOptions options,
            Problems problems, List<VideoSample> out, int depth) throws IOException {
        List<Path> subdirs = new ArrayList<>();
        for (Path p : Files2.list(dir)) {
            if (Files.isDirectory(p)) {
                subdirs.add(p);
            } else if (options.isVideoFile(p.getFileName().toString()) && Files.isRegularFile(p)) {
                out.add(VideoSample.ofFile(p, label, name, split));
            }
        }
        for (Path sub : subdirs) {
            List<Path> children = Files2.list(sub);
            List<String> childNames = new ArrayList<>(children.size());
            for (Path c : children) {
                childNames.add(c.getFileName().toString());
            }
            Optional<FrameFolder.Scan> scan = FrameFolder.scan(sub, options.frameTemplate(), childNames);
            if (scan.isPresent()) {
                FrameFolder.Scan s = scan.get();
                if (!s.contiguous()) {
                    FrameFolder f = s.frames();
                    problems.add(Kind.BAD_FRAMES, sub, -1, "frames are not numbered without gaps: "
                            + f.fileName(f.firstNumber() + f.frameCount()) + " is missing but "
                            + f.fileName(s.highestNumber()) + " is there");
                } else {
                    out.add(VideoSample.ofFrames(s.frames(), label, name, split, null, -1));
                }
            } else if (depth < MAX_DEPTH) {
                collect(sub, label, name, split, options, problems, out, depth + 1);
            }
        }
    }
}

package dev.kinema.data.datasets;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * An AVA-format folder ({@link AvaDataset}) as a video dataset: one sample per annotated keyframe of
 * each split's ground truth (excluded keyframes left out), as MMAction2's {@code AVADataset} has one
 * per timestamp, so an epoch sees every keyframe of every video once. A sample is the window of
 * {@link AvaDataset#KEYFRAME_WINDOW_SECONDS} centred on its keyframe (cut at the file's start), the
 * clip is drawn inside it and labelled with the keyframe nearest its centre; its label is the
 * keyframe's most frequent action (ties: the smaller id), so a run has a label per sample. What a detection task learns (the boxes of each keyframe) it reads from
 * the same folder through {@link AvaDataset}; the classes are the label map's names in its order.
 * Videos are {@code videos/<video_id>.<ext>} or {@code <video_id>.<ext>} beside the CSVs.
 */
final class AvaReader implements DatasetReader {
    private static final List<String> EXTENSIONS = List.of(".mp4", ".mkv", ".webm", ".avi", ".mov");

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) {
        return AvaDataset.locate(annotations.filter(Files::isDirectory).orElse(root));
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Path folder = annotations.filter(Files::isDirectory).orElse(root);
        AvaDataset ava = AvaDataset.read(folder);
        Problems problems = new Problems(root, options.strict());
        List<String> labels = ava.labelNames();
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        ava.boxes().forEach((split, rows) -> {
            Set<String> excluded = ava.exclusions().getOrDefault(split, Set.of());
            Map<String, Map<Integer, Map<Integer, Integer>>> counts = new LinkedHashMap<>();
            for (ActorBox b : rows) {
                if (excluded.contains(b.key())) {
                    continue;
                }
                Map<Integer, Integer> perKeyframe = counts.computeIfAbsent(b.videoId(), k -> new TreeMap<>())
                        .computeIfAbsent(b.timestamp(), t -> new HashMap<>());
                if (ava.labelIndex(b.actionId()) >= 0) {
                    perKeyframe.merge(b.actionId(), 1, Integer::sum);
                }
            }
            List<VideoSample> samples = new ArrayList<>();
            Path csv = folder.resolve("ava_" + split + ".csv");
            counts.forEach((video, keyframes) -> {
                Optional<Path> file = video(root, video);
                if (file.isEmpty()) {
                    problems.add(Kind.MISSING_FILE, csv, -1, "no video file for video_id " + video
                            + " (looked for videos/" + video + ".mp4 and other extensions)");
                    return;
                }
                keyframes.forEach((timestamp, actions) -> {
                    int label = actions.entrySet().stream()
                            .max(Map.Entry.<Integer, Integer>comparingByValue().thenComparing(e -> -e.getKey()))
                            .map(e -> ava.labelIndex(e.getKey())).orElse(-1);
                    double half = AvaDataset.KEYFRAME_WINDOW_SECONDS / 2;
                    samples.add(VideoSample.ofFile(file.get(), label, label < 0 ? null : labels.get(label), split, csv, -1)
                            .withTimes(Math.max(0, timestamp - half), timestamp + half));
                });
            });
            splits.put(split, samples);
        });
        return new VideoDataset(DatasetFormat.AVA, root, labels, splits, problems.report());
    }

    private static Optional<Path> video(Path root, String id) {
        for (Path dir : List.of(root.resolve("videos"), root)) {
            for (String ext : EXTENSIONS) {
                Path p = dir.resolve(id + ext);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}

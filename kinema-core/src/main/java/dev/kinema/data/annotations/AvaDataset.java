package dev.kinema.data.annotations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An AVA-format dataset folder, as {@code kinema synth --multi-actor} writes it and MMAction2's
 * AVA recipe reads it: {@code label_map.pbtxt} (or AVA's {@code ava_action_list_v2.2.pbtxt}),
 * {@code ava_<split>.csv} ground truth for splits train, val and test (AVA's own
 * {@code ava_<split>_v2.2.csv} names too), optional {@code excluded_timestamps_<split>.csv}, and
 * the videos in {@code videos/} named by their {@code video_id}. The one place that knows the layout,
 * for the dataset reader and the detection task.
 *
 * @param root the folder
 * @param labels action id to name, in label-map order (a model's outputs follow this order)
 * @param boxes ground-truth rows by split
 * @param exclusions excluded keyframe keys ({@link ActorBox#key}) by split
 */
public record AvaDataset(Path root, Map<Integer, String> labels, Map<String, List<ActorBox>> boxes,
        Map<String, Set<String>> exclusions) {
    public static final List<String> SPLITS = List.of("train", "val", "test");
    /**
     * The stretch of video around a keyframe that its clip is taken from (training draws the clip
     * inside it, detection takes the middle one): one second either side, so a clip of up to two
     * seconds stays nearest its own keyframe, as AVA's one keyframe a second asks.
     */
    public static final double KEYFRAME_WINDOW_SECONDS = 2.0;
    private static final List<String> LABEL_MAPS = List.of("label_map.pbtxt", "ava_action_list_v2.2.pbtxt",
            "ava_action_list_v2.1.pbtxt");

    /** The label map that marks {@code root} as an AVA folder, if there is one beside a ground-truth file. */
    public static Optional<Path> locate(Path root) {
        Optional<Path> labelMap = LABEL_MAPS.stream().map(root::resolve).filter(Files::isRegularFile).findFirst();
        boolean truth = SPLITS.stream().anyMatch(s -> groundTruth(root, s).isPresent());
        return truth ? labelMap : Optional.empty();
    }

    /**
     * Reads the folder's label map and every split's ground truth and exclusions.
     *
     * @throws AnnotationException naming the file (and line) that is missing or bad
     */
    public static AvaDataset read(Path root) throws IOException {
        Path labelMap = LABEL_MAPS.stream().map(root::resolve).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new AnnotationException(root.resolve(LABEL_MAPS.get(0)), "no such file (the AVA label map)"));
        Map<Integer, String> labels = AvaCsv.readLabelMap(labelMap);
        Map<String, List<ActorBox>> boxes = new LinkedHashMap<>();
        Map<String, Set<String>> exclusions = new LinkedHashMap<>();
        for (String split : SPLITS) {
            Optional<Path> truth = groundTruth(root, split);
            if (truth.isPresent()) {
                boxes.put(split, AvaCsv.readGroundTruth(truth.get()));
                Path excluded = root.resolve("excluded_timestamps_" + split + ".csv");
                exclusions.put(split, Files.isRegularFile(excluded) ? AvaCsv.readExclusions(excluded) : Set.of());
            }
        }
        if (boxes.isEmpty()) {
            throw new AnnotationException(root.resolve("ava_train.csv"), "no such file (nor ava_val.csv, ava_test.csv)");
        }
        return new AvaDataset(root, labels, boxes, exclusions);
    }

    private static Optional<Path> groundTruth(Path root, String split) {
        return List.of("ava_" + split + ".csv", "ava_" + split + "_v2.2.csv", "ava_" + split + "_v2.1.csv").stream()
                .map(root::resolve).filter(Files::isRegularFile).findFirst();
    }

    /** The position of {@code actionId} in the label map (a model's output index), or -1 if it is not there. */
    public int labelIndex(int actionId) {
        int i = 0;
        for (int id : labels.keySet()) {
            if (id == actionId) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** The label names in label-map order. */
    public List<String> labelNames() {
        return new ArrayList<>(labels.values());
    }

    /** Every split's ground truth, for looking boxes up by keyframe whatever the split. */
    public List<ActorBox> allBoxes() {
        List<ActorBox> all = new ArrayList<>();
        boxes.values().forEach(all::addAll);
        return all;
    }
}

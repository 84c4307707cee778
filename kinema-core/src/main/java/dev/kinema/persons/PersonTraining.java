package dev.kinema.persons;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaDataset;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.KeyframeBoxes;
import dev.kinema.eval.detection.ActionDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a {@link PersonDetector} on an AVA folder's training keyframes (their ground-truth boxes, each
 * place once) and measures its person AP@0.5 on every other split's keyframes.
 */
public final class PersonTraining {
    /** Detections kept per keyframe, and the heatmap score they start from. */
    public static final int MAX_PERSONS = 8;
    public static final double MIN_SCORE = 0.1;
    /**
     * The default box NMS IoU, lower than torchvision's detectors' 0.5: this detector's second peak on
     * a figure sits about two cells above or below the first with a whole-figure box, so most pairs
     * overlap by IoU 0.3 to 0.5, which NMS at 0.5 keeps. Chosen on multi-actor Kinema-Motion's
     * validation split by the action frame mAP with detected boxes (best from 0.1 to 0.3, and 0.3 the
     * mildest of those, which keeps most of two people who really overlap): docs/results.md.
     */
    public static final double NMS_IOU = 0.3;

    private PersonTraining() {}

    /**
     * @param detector the fitted detector (the caller closes it)
     * @param keyframes training keyframes
     * @param apBySplit person AP@0.5 of each split but train, by split name
     */
    public record Result(PersonDetector detector, int keyframes, Map<String, Double> apBySplit) {}

    /** @param nmsIou the box NMS IoU of the detections the AP is measured on ({@link PersonDetector#detect}) */
    public static Result run(Path root, int epochs, double lr, long seed, double nmsIou) throws IOException {
        // Refused before training, not after it when the first keyframe is decoded.
        PersonDetector.checkNmsIou(nmsIou);
        AvaDataset ava = AvaDataset.read(root);
        VideoDataset videos = DatasetFormats.open(root);
        List<PersonDetector.Keyframe> train = keyframes(ava, videos, "train");
        if (train.isEmpty()) {
            throw new IllegalArgumentException(root + ": no training keyframes with boxes (ava_train.csv)");
        }
        PersonDetector detector = PersonDetector.fit(train, epochs, lr, seed);
        Map<String, Double> ap = new LinkedHashMap<>();
        for (String split : videos.splits()) {
            if (split.equals("train")) {
                continue;
            }
            List<ActorBox> truth = new ArrayList<>();
            List<ActorBox> found = new ArrayList<>();
            for (PersonDetector.Keyframe k : keyframes(ava, videos, split)) {
                truth.addAll(k.boxes());
                found.addAll(detector.detect(k, MIN_SCORE, MAX_PERSONS, nmsIou));
            }
            ap.put(split, PersonDetector.averagePrecision(truth, found));
        }
        return new Result(detector, train.size(), ap);
    }

    private static List<PersonDetector.Keyframe> keyframes(AvaDataset ava, VideoDataset videos, String split) {
        List<PersonDetector.Keyframe> out = new ArrayList<>();
        // The dataset has one sample per keyframe; each video's keyframes are read in one pass.
        for (Path video : videos.samples(split).stream().map(VideoSample::path).distinct().toList()) {
            String id = KeyframeBoxes.videoId(video);
            List<ActorBox> rows = ava.boxes().get(split).stream().filter(b -> b.videoId().equals(id)).toList();
            Map<Integer, List<ActorBox>> persons = ActionDetector.personBoxes(rows);
            out.addAll(PersonDetector.keyframes(video, id, List.copyOf(persons.keySet()), persons));
        }
        return out;
    }
}

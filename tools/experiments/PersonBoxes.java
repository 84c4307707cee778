import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaCsv;
import dev.kinema.eval.detection.ActionDetector;
import dev.kinema.persons.PersonDetector;
import dev.kinema.persons.PersonTraining;
import dev.kinema.synth.Actor;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.MultiActorMotion;
import dev.kinema.synth.Scene;
import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where a person detector's boxes land on a multi-actor Kinema-Motion split (docs/results.md,
 * "Spatio-temporal action detection"): each keyframe's boxes, best first, are sorted into hits (IoU
 * at least 0.5 with a figure not yet hit: AVA's true positives), duplicates (IoU at least 0.5 with a
 * figure already hit), loose boxes on a figure (best IoU 0.1 to 0.5, split by whether the figure is
 * hit by another box), and boxes on no figure (best IoU below 0.1, split into those on a distractor
 * and those on background). Distractor boxes come from replanning the data set (the same seed and
 * settings as tools/experiments/detection.sh), which also rewrites its videos to a scratch folder.
 *
 * Usage (from the repository, after a build; SPLITS, SCORES and NMS_IOUS are comma-separated lists):
 *   java -cp "kinema-cli/target/classes:$(ls kinema-core/target/kinema-core-*.jar | grep -v tests):$(cat kinema-cli/target/classpath.txt)" \
 *       tools/experiments/PersonBoxes.java DATA PERSONS.bin SPLITS SCORES NMS_IOUS
 */
public final class PersonBoxes {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: PersonBoxes DATA PERSONS.bin SPLITS SCORES NMS_IOUS (comma-separated lists; NMS IoU 1 = no NMS)");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Map<String, Scene> scenes = replan(data);
        for (String split : args[2].split(",")) {
            for (String score : args[3].split(",")) {
                for (String nms : args[4].split(",")) {
                    measure(data, Path.of(args[1]), scenes, split, Double.parseDouble(score), Double.parseDouble(nms));
                }
            }
        }
    }

    private static void measure(Path data, Path detectorFile, Map<String, Scene> scenes, String split, double score, double nms)
            throws Exception {
        List<ActorBox> rows = AvaCsv.readGroundTruth(data.resolve("ava_" + split + ".csv"));
        Map<String, List<ActorBox>> rowsByVideo = new LinkedHashMap<>();
        rows.forEach(r -> rowsByVideo.computeIfAbsent(r.videoId(), v -> new ArrayList<>()).add(r));

        int keyframes = 0;
        int figures = 0;
        int boxes = 0;
        int hits = 0;
        int duplicates = 0;
        int looseOnHitFigure = 0;
        int looseOnMissedFigure = 0;
        int onDistractor = 0;
        int onBackground = 0;
        int overlapsHigherBox = 0;
        List<ActorBox> all = new ArrayList<>();
        List<ActorBox> truthRows = new ArrayList<>();
        try (PersonDetector detector = PersonDetector.load(detectorFile)) {
            for (Map.Entry<String, List<ActorBox>> video : rowsByVideo.entrySet()) {
                String id = video.getKey();
                Map<Integer, List<ActorBox>> truthByKeyframe = ActionDetector.personBoxes(video.getValue());
                truthRows.addAll(video.getValue());
                Scene scene = scenes.get(id);
                for (PersonDetector.Keyframe k : PersonDetector.keyframes(data.resolve("videos").resolve(id + ".mp4"), id,
                        List.copyOf(truthByKeyframe.keySet()), truthByKeyframe)) {
                    keyframes++;
                    List<ActorBox> truth = k.boxes();
                    figures += truth.size();
                    List<ActorBox> found = detector.detect(k, score, PersonTraining.MAX_PERSONS, nms);
                    all.addAll(found);
                    boolean[] hit = new boolean[truth.size()];
                    List<Integer> looseFigures = new ArrayList<>();
                    for (int i = 0; i < found.size(); i++) {
                        ActorBox d = found.get(i);
                        boxes++;
                        for (int j = 0; j < i; j++) {
                            if (d.iou(found.get(j)) >= 0.5) {
                                overlapsHigherBox++;
                                break;
                            }
                        }
                        int best = -1;
                        double bestIou = 0;
                        for (int g = 0; g < truth.size(); g++) {
                            double iou = d.iou(truth.get(g));
                            if (iou > bestIou) {
                                best = g;
                                bestIou = iou;
                            }
                        }
                        if (bestIou >= 0.5) {
                            if (hit[best]) {
                                duplicates++;
                            } else {
                                hit[best] = true;
                                hits++;
                            }
                        } else if (bestIou >= 0.1) {
                            looseFigures.add(best);
                        } else if (onDistractor(scene, k.timestamp(), d, truth)) {
                            onDistractor++;
                        } else {
                            onBackground++;
                        }
                    }
                    // Whether a loose box's figure is hit is known once every box of the keyframe is placed.
                    for (int g : looseFigures) {
                        if (hit[g]) {
                            looseOnHitFigure++;
                        } else {
                            looseOnMissedFigure++;
                        }
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%s, score >= %.2f, NMS IoU %s: %d keyframes, %d figures, %d boxes%n", split, score,
                nms >= 1 ? "off" : String.format(Locale.ROOT, "> %.2f", nms), keyframes, figures, boxes);
        System.out.printf(Locale.ROOT, "  hits (IoU >= 0.5 with a figure not yet hit)      %4d%n", hits);
        System.out.printf(Locale.ROOT, "  duplicates (IoU >= 0.5 with a figure already hit) %4d%n", duplicates);
        System.out.printf(Locale.ROOT, "  loose on a hit figure (best IoU 0.1-0.5)          %4d%n", looseOnHitFigure);
        System.out.printf(Locale.ROOT, "  loose on a missed figure (best IoU 0.1-0.5)       %4d%n", looseOnMissedFigure);
        System.out.printf(Locale.ROOT, "  on no figure, on a distractor                     %4d%n", onDistractor);
        System.out.printf(Locale.ROOT, "  on no figure, on background                       %4d%n", onBackground);
        System.out.printf(Locale.ROOT, "  (any kind) IoU >= 0.5 with a higher-scoring box   %4d%n", overlapsHigherBox);
        System.out.printf(Locale.ROOT, "  figures missed (no hit)                           %4d%n", figures - hits);
        System.out.printf(Locale.ROOT, "  person AP@0.5                                     %.2f%%%n",
                100 * PersonDetector.averagePrecision(truthRows, all));
    }

    /** A box on a distractor: IoU at least 0.1 with one of the keyframe's drifting objects. */
    private static boolean onDistractor(Scene scene, int t, ActorBox d, List<ActorBox> truth) {
        for (Actor layer : scene.layers()) {
            if (layer.isLabelled()) {
                continue;
            }
            Rectangle2D b = layer.bounds(t);
            if (b == null) {
                continue;
            }
            // World space is in frame heights and the frame is square; the camera shake (a few pixels) is left out.
            ActorBox world = new ActorBox(d.videoId(), t, b.getMinX(), b.getMinY(), b.getMaxX(), b.getMaxY(), 0, -1, 1);
            if (d.iou(world) >= 0.1) {
                return true;
            }
        }
        return false;
    }

    /** The scenes of detection.sh's data set, by video id (its settings; videos rewritten to a scratch folder). */
    private static Map<String, Scene> replan(Path data) throws Exception {
        Path scratch = Files.createTempDirectory("person-boxes");
        List<MultiActorMotion.Video> videos = MultiActorMotion.write(scratch.resolve("data"), 80, 0, 96, 96, 10, 6,
                List.of("jumping_jacks", "waving", "clapping", "juggling").stream().map(KinemaMotion::get).toList(), 1, false,
                done -> {});
        Map<String, Scene> out = new LinkedHashMap<>();
        videos.forEach(v -> out.put(v.id(), v.clip().scene()));
        // The replanned boxes must be the data set's, or the scenes are another data set's.
        List<ActorBox> truth = AvaCsv.readGroundTruth(data.resolve("ava_test.csv"));
        List<ActorBox> replanned = AvaCsv.readGroundTruth(scratch.resolve("data").resolve("ava_test.csv"));
        if (!truth.equals(replanned)) {
            throw new IllegalStateException(data + " is not detection.sh's data set (seed 0, 80 videos of 6 s at 96x96, 10 fps)");
        }
        return out;
    }
}

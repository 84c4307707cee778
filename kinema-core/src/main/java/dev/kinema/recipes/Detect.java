package dev.kinema.recipes;

import ai.djl.Model;
import ai.djl.nn.Block;
import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AnnotationException;
import dev.kinema.data.annotations.AvaCsv;
import dev.kinema.data.loader.KeyframeBoxes;
import dev.kinema.eval.detection.ActionDetector;
import dev.kinema.persons.PersonDetector;
import dev.kinema.persons.PersonTraining;
import dev.kinema.tasks.ActionDetectionTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import dev.kinema.viz.BoxOverlay;
import dev.kinema.viz.GifWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Spatio-temporal action detection of one video with a trained RoI model run (the
 * {@code action-detection} task): on every keyframe that has person boxes, each box's actions with
 * their sigmoid scores ({@link ActionDetector}), optionally drawn on the keyframes as a GIF. Person
 * boxes come from an AVA CSV: ground truth ({@code video_id,timestamp,x1,y1,x2,y2,action_id[,person_id]},
 * each place once) or proposals ({@code video_id,timestamp,x1,y1,x2,y2[,score]}), as MMAction2
 * takes precomputed proposals, or from a {@link PersonDetector} on every whole second. Action ids are the label map's when given, else the labels' positions
 * from 1 (the label map {@code kinema synth --multi-actor} writes).
 */
public final class Detect {
    /** The person detector's score from which a box is an actor (higher than its AP's 0.1: fewer false actors). */
    public static final double PERSON_SCORE = 0.3;

    private final Path run;
    private final Path video;
    private final Path boxes;
    private final Path persons;
    private final Path labelMap;
    private final double threshold;
    private final double personNms;
    private final Path overlay;

    private Detect(Builder b) {
        this.run = Objects.requireNonNull(b.run, "run");
        this.video = Objects.requireNonNull(b.video, "video");
        this.boxes = b.boxes;
        this.persons = b.persons;
        this.labelMap = b.labelMap;
        this.threshold = b.threshold;
        this.personNms = b.personNms;
        this.overlay = b.overlay;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One action of an actor and its score. */
    public record Action(int id, String label, double score) {}

    /** One person box of a keyframe, corners normalised to [0, 1], and its actions by descending score. */
    public record Actor(int personId, double x1, double y1, double x2, double y2, List<Action> actions) {
        /** The actions at or above {@code threshold}, and at least the best one. */
        public List<Action> shown(double threshold) {
            List<Action> out = actions.stream().filter(a -> a.score() >= threshold).toList();
            return out.isEmpty() && !actions.isEmpty() ? List.of(actions.get(0)) : out;
        }
    }

    /** The actors of one keyframe (whole second). */
    public record Keyframe(int timestamp, List<Actor> actors) {}

    /**
     * @param detections every (box, action) row with its score, as AVA detections
     * @param overlay the GIF written, or null
     */
    public record Result(String videoId, List<Keyframe> keyframes, List<ActorBox> detections, Path overlay) {}

    /**
     * Detects.
     *
     * @throws IOException when the run, the boxes or the video cannot be read
     * @throws IllegalArgumentException when no person boxes are given, or none belongs to the video
     */
    public Result run() throws IOException {
        RunDir dir = RunDir.open(run).requireTask("action detection", ActionDetectionTask.NAME);
        List<String> labels = dir.labels();
        List<Integer> ids = actionIds(labels);
        String videoId = KeyframeBoxes.videoId(video);
        Map<Integer, List<ActorBox>> persons = personBoxes(videoId);
        List<ActorBox> detections;
        try (Model model = Model.newInstance(dir.config().model())) {
            Block block = dir.loadModel(model.getNDManager(), ModelFactory.registry());
            model.setBlock(block);
            detections = new ActionDetector(block, dir.input(), ids).detect(video, videoId, persons);
        }
        List<Keyframe> keyframes = keyframes(persons, detections, ids, labels);
        Path gif = overlay == null ? null : writeOverlay(keyframes);
        return new Result(videoId, keyframes, detections, gif);
    }

    /** The person boxes by keyframe: the given file's for this video, else the person detector's on every whole second. */
    private Map<Integer, List<ActorBox>> personBoxes(String videoId) throws IOException {
        if (boxes != null) {
            List<ActorBox> rows = readPersonBoxes(boxes).stream().filter(b -> b.videoId().equals(videoId)).toList();
            if (rows.isEmpty()) {
                throw new IllegalArgumentException(boxes + ": no boxes for video_id " + videoId + " (the file name of "
                        + video.getFileName() + " without its extension)");
            }
            return ActionDetector.personBoxes(rows);
        }
        if (persons == null) {
            throw new IllegalArgumentException("give person boxes (--boxes FILE, an AVA CSV) or a person detector (--persons FILE)");
        }
        List<Integer> seconds = new ArrayList<>();
        try (VideoReader reader = VideoReader.open(video)) {
            for (int t = 1; t < reader.frameCount() / reader.fps(); t++) {
                seconds.add(t);
            }
        }
        Map<Integer, List<ActorBox>> out = new LinkedHashMap<>();
        try (PersonDetector detector = PersonDetector.load(persons)) {
            for (PersonDetector.Keyframe k : PersonDetector.keyframes(video, videoId, seconds, Map.of())) {
                List<ActorBox> found = detector.detect(k, PERSON_SCORE, PersonTraining.MAX_PERSONS, personNms);
                if (!found.isEmpty()) {
                    out.put(k.timestamp(), found);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(video + ": the person detector found nobody (score >= " + PERSON_SCORE + ")");
        }
        return out;
    }

    private List<Integer> actionIds(List<String> labels) throws IOException {
        if (labelMap == null) {
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < labels.size(); i++) {
                ids.add(i + 1);
            }
            return ids;
        }
        Map<Integer, String> map = AvaCsv.readLabelMap(labelMap);
        if (!List.copyOf(map.values()).equals(labels)) {
            throw new IllegalArgumentException(labelMap + ": its actions " + map.values() + " are not the run's labels "
                    + labels + " in the same order");
        }
        return List.copyOf(map.keySet());
    }

    /** Ground-truth rows (7 or 8 columns) or, failing that, proposals (6 or 7). */
    static List<ActorBox> readPersonBoxes(Path file) throws IOException {
        try {
            return AvaCsv.readGroundTruth(file);
        } catch (AnnotationException asTruth) {
            try {
                return AvaCsv.readProposals(file);
            } catch (AnnotationException asProposals) {
                throw new AnnotationException(file, "neither AVA ground truth nor proposals: " + asTruth.getMessage()
                        + "; " + asProposals.getMessage());
            }
        }
    }

    private static List<Keyframe> keyframes(Map<Integer, List<ActorBox>> persons, List<ActorBox> detections, List<Integer> ids,
            List<String> labels) {
        List<Keyframe> out = new ArrayList<>();
        int row = 0;
        for (Map.Entry<Integer, List<ActorBox>> k : persons.entrySet()) {
            List<Actor> actors = new ArrayList<>();
            for (ActorBox p : k.getValue()) {
                List<Action> actions = new ArrayList<>();
                for (int a = 0; a < ids.size(); a++) {
                    actions.add(new Action(ids.get(a), labels.get(a), detections.get(row++).score()));
                }
                actions.sort(Comparator.comparingDouble(Action::score).reversed());
                actors.add(new Actor(p.personId(), p.x1(), p.y1(), p.x2(), p.y2(), List.copyOf(actions)));
            }
            out.add(new Keyframe(k.getKey(), List.copyOf(actors)));
        }
        return out;
    }

    /** The keyframes with their actors' boxes and shown actions, one GIF frame a keyframe (1 fps, as AVA's keyframes). */
    private Path writeOverlay(List<Keyframe> keyframes) {
        try (VideoReader reader = VideoReader.open(video)) {
            int[] indices = keyframes.stream()
                    .mapToInt(k -> Math.min(reader.frameCount() - 1, (int) Math.round(k.timestamp() * reader.fps()))).toArray();
            VideoFrames frames = reader.read(indices);
            List<List<BoxOverlay.Box>> boxes = new ArrayList<>();
            for (Keyframe k : keyframes) {
                List<BoxOverlay.Box> drawn = new ArrayList<>();
                for (int i = 0; i < k.actors().size(); i++) {
                    Actor a = k.actors().get(i);
                    List<String> lines = a.shown(threshold).stream()
                            .map(x -> String.format(Locale.ROOT, "%s %.2f", x.label(), x.score())).toList();
                    drawn.add(new BoxOverlay.Box(a.x1(), a.y1(), a.x2(), a.y2(), lines, a.personId() >= 0 ? a.personId() : i));
                }
                boxes.add(drawn);
            }
            return new GifWriter(1).write(BoxOverlay.draw(frames, boxes), overlay);
        }
    }

    /** DJL-style builder: {@code setX} required, {@code optY} optional. */
    public static final class Builder {
        private Path run;
        private Path video;
        private Path boxes;
        private Path persons;
        private Path labelMap;
        private double threshold = 0.5;
        private double personNms = PersonTraining.NMS_IOU;
        private Path overlay;

        public Builder setRun(Path run) {
            this.run = run;
            return this;
        }

        public Builder setVideo(Path video) {
            this.video = video;
            return this;
        }

        /** Person boxes: an AVA CSV of ground truth or proposals. */
        public Builder optBoxes(Path boxes) {
            this.boxes = boxes;
            return this;
        }

        /** A person detector ({@link PersonDetector#save}) for videos without {@link #optBoxes boxes}. */
        public Builder optPersons(Path detector) {
            this.persons = detector;
            return this;
        }

        /** The AVA label map giving the run's labels their action ids. */
        public Builder optLabelMap(Path labelMap) {
            this.labelMap = labelMap;
            return this;
        }

        /** The score from which an action is shown on the overlay (the best one always is); default 0.5. */
        public Builder optThreshold(double threshold) {
            if (!(threshold >= 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * The person detector's box NMS: a box whose IoU with a higher-scored box of its keyframe is
         * above this is dropped (torchvision's {@code nms}); 1 keeps every peak. Default
         * {@link PersonTraining#NMS_IOU}.
         */
        public Builder optPersonNms(double iou) {
            this.personNms = PersonDetector.checkNmsIou(iou);
            return this;
        }

        /** Writes the keyframes with boxes and actions to this GIF. */
        public Builder optOverlay(Path gif) {
            this.overlay = gif;
            return this;
        }

        public Detect build() {
            return new Detect(this);
        }
    }
}

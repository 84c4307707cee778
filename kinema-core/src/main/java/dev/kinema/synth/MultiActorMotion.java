package dev.kinema.synth;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaCsv;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Multi-actor Kinema-Motion, for spatio-temporal action detection: 2 to 4 figures side by side,
 * each in its own strip of the frame and doing its own action for the whole video, on the usual
 * background, distractors and camera shake. The ground truth is AVA's: each actor's box on the
 * keyframe of every whole second (1 fps, from second 1), normalised to [0, 1], with its action id
 * (the class's position in {@code classes}, from 1) and the actor's id. One action per actor: the
 * issue's several-actions-at-once actors (walking and waving) are not rendered yet.
 */
public final class MultiActorMotion {
    private MultiActorMotion() {}

    /** One video: its scene and its keyframe boxes. */
    public record Video(String id, SceneClip clip, List<ActorBox> boxes) {}

    public static Video sample(String id, List<ActionClass> classes, ClipSpec spec, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Backdrop backdrop = Backdrop.draw(rng);
        Palette palette = backdrop.palette();
        double duration = spec.duration();
        double aspect = spec.aspect();
        List<Actor> layers = new ArrayList<>();
        Stage full = Stage.fullFrame(aspect, palette);
        int distractors = rng.nextInt(3);
        for (int i = 0; i < distractors; i++) {
            layers.add(new Actor(null, 0, duration, ObjectActions.drift(full, duration, rng.split()), false));
        }
        int actors = 2 + rng.nextInt(3);
        double strip = aspect / actors;
        for (int a = 0; a < actors; a++) {
            ActionClass c = classes.get(rng.nextInt(classes.size()));
            Stage stage = new Stage(aspect, new Rectangle2D.Double(a * strip, 0, strip, 1), palette);
            layers.add(KinemaMotion.actor(c, stage, 0, duration, rng.split()));
        }
        double noise = rng.nextDouble() < 0.2 ? 0 : rng.nextDouble(1, 6);
        Scene scene = new Scene(aspect, duration, backdrop.background(), backdrop.camera(), layers, noise, rng.nextLong());
        List<String> names = classes.stream().map(ActionClass::name).toList();
        List<ActorBox> boxes = new ArrayList<>();
        for (int t = 1; t < duration; t++) {
            for (dev.kinema.synth.ActorBox b : scene.boxes(t, spec.width(), spec.height())) {
                boxes.add(new ActorBox(id, t, b.x() / spec.width(), b.y() / spec.height(), (b.x() + b.width()) / spec.width(),
                        (b.y() + b.height()) / spec.height(), names.indexOf(b.action()) + 1, b.actor(), 1.0));
            }
        }
        return new Video(id, new SceneClip(scene, spec, 0), List.copyOf(boxes));
    }

    /**
     * Renders {@code videos} multi-actor videos to {@code output}: {@code videos/<id>.mp4},
     * {@code ava_<split>.csv} (train/val/test, 70/15/15 by index), {@code label_map.pbtxt} and
     * {@code excluded_timestamps_<split>.csv} (empty: every keyframe is annotated). Returns the plan.
     */
    public static List<Video> write(Path output, int videos, long seed, int width, int height, double fps, double seconds,
            List<ActionClass> classes, int workers, boolean overwrite, IntConsumer progress) {
        SynthDatasetWriter.prepareOutput(output, overwrite, List.of("videos"), List.of("label_map.pbtxt", "ava_train.csv",
                "ava_val.csv", "ava_test.csv", "excluded_timestamps_train.csv", "excluded_timestamps_val.csv",
                "excluded_timestamps_test.csv"));
        List<Video> planned = new ArrayList<>();
        for (int i = 0; i < videos; i++) {
            String id = String.format(Locale.ROOT, "multi_%04d", i);
            planned.add(sample(id, classes, ClipSpec.ofSeconds(width, height, fps, seconds), Seeds.mix(Seeds.mix(seed, Seeds.of("multi")), i)));
        }
        ParallelRender.run(planned.stream().<Runnable>map(v -> () -> v.clip().write(output.resolve("videos").resolve(v.id() + ".mp4"))).toList(),
                planned.stream().map(Video::id).toList(), workers, progress);
        try {
            Map<Integer, String> labels = new LinkedHashMap<>();
            for (int c = 0; c < classes.size(); c++) {
                labels.put(c + 1, classes.get(c).name());
            }
            AvaCsv.writeLabelMap(output.resolve("label_map.pbtxt"), labels);
            for (String split : SynthDatasetWriter.SPLITS) {
                List<ActorBox> rows = new ArrayList<>();
                for (int i = 0; i < planned.size(); i++) {
                    if (SynthDatasetWriter.split(i, videos).equals(split)) {
                        rows.addAll(planned.get(i).boxes());
                    }
                }
                AvaCsv.write(output.resolve("ava_" + split + ".csv"), rows, false);
                AvaCsv.writeExclusions(output.resolve("excluded_timestamps_" + split + ".csv"), List.of());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the annotations in " + output + ": " + e.getMessage(), e);
        }
        return planned;
    }
}

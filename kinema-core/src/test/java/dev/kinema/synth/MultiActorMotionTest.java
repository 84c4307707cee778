package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.annotations.ActorBox;
import dev.kinema.data.annotations.AvaCsv;
import dev.kinema.eval.detection.AvaFrameMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiActorMotionTest {
    @TempDir
    Path dir;

    private static final List<ActionClass> CLASSES = List.of(KinemaMotion.get("waving"), KinemaMotion.get("clapping"),
            KinemaMotion.get("jumping_jacks"));

    @Test
    void everyActorHasABoxOnEveryKeyframeInItsOwnStrip() {
        ClipSpec spec = ClipSpec.ofSeconds(96, 64, 5, 4);
        for (long seed = 0; seed < 10; seed++) {
            MultiActorMotion.Video v = MultiActorMotion.sample("m", CLASSES, spec, seed);
            int actors = v.clip().scene().actors().size();
            assertTrue(actors >= 2 && actors <= 4);
            assertEquals(3 * actors, v.boxes().size(), "keyframes at 1, 2 and 3 s");
            for (ActorBox b : v.boxes()) {
                assertTrue(b.valid() && b.x1() >= 0 && b.x2() <= 1 && b.y1() >= 0 && b.y2() <= 1, b.toString());
                assertTrue(b.actionId() >= 1 && b.actionId() <= 3);
                double strip = 1.0 / actors;
                double centre = (b.x1() + b.x2()) / 2;
                assertTrue(centre > b.personId() * strip - 0.1 && centre < (b.personId() + 1) * strip + 0.1,
                        "actor " + b.personId() + " of " + actors + " at x " + centre);
            }
        }
    }

    @Test
    void theWrittenGroundTruthScoresPerfectAgainstItself() throws Exception {
        List<MultiActorMotion.Video> plan = MultiActorMotion.write(dir, 3, 0, 64, 48, 5, 3, CLASSES, 2, false, done -> { });
        Map<Integer, String> labels = AvaCsv.readLabelMap(dir.resolve("label_map.pbtxt"));
        assertEquals(Map.of(1, "waving", 2, "clapping", 3, "jumping_jacks"), labels);
        List<ActorBox> truth = new ArrayList<>();
        for (String split : List.of("train", "val", "test")) {
            truth.addAll(AvaCsv.readGroundTruth(dir.resolve("ava_" + split + ".csv")));
            assertTrue(AvaCsv.readExclusions(dir.resolve("excluded_timestamps_" + split + ".csv")).isEmpty());
        }
        assertEquals(plan.stream().mapToInt(v -> v.boxes().size()).sum(), truth.size());
        assertTrue(Files.size(dir.resolve("videos/multi_0000.mp4")) > 0);
        List<ActorBox> detections = truth.stream().map(b -> new ActorBox(b.videoId(), b.timestamp(), b.x1(), b.y1(), b.x2(), b.y2(),
                b.actionId(), b.personId(), 0.9)).toList();
        assertEquals(1.0, AvaFrameMap.evaluate(truth, detections, labels, Set.of()).map(), 1e-12);
    }
}

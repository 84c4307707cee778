package dev.kinema.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.Segment;
import dev.kinema.data.annotations.ThumosLists;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UntrimmedMotionTest {
    @TempDir
    Path dir;

    @Test
    void instancesAreSeparateAndTheActorShowsOnlyDuringThem() {
        ClipSpec spec = ClipSpec.ofSeconds(64, 64, 10, 30);
        for (long seed = 0; seed < 20; seed++) {
            UntrimmedMotion.Video v = UntrimmedMotion.sample("v", KinemaMotion.classes(), spec, seed, 5, new double[] {3, 6});
            List<Segment> s = v.segments();
            assertTrue(s.size() >= 1 && s.size() <= 5, "seed " + seed + ": " + s.size() + " instances");
            for (int i = 0; i < s.size(); i++) {
                double length = s.get(i).length();
                assertTrue(length >= 3 - 1e-3 && length <= 6 + 1e-3, "length " + length);
                double previousEnd = i == 0 ? 0 : s.get(i - 1).end();
                assertTrue(s.get(i).start() - previousEnd >= UntrimmedMotion.MIN_GAP - 1e-3, "gap before " + s.get(i));
            }
            assertTrue(s.get(s.size() - 1).end() <= spec.duration() - UntrimmedMotion.MIN_GAP + 1e-3);
            Scene scene = v.clip().scene();
            for (Segment segment : s) {
                double middle = (segment.start() + segment.end()) / 2;
                List<dev.kinema.synth.ActorBox> boxes = scene.boxes(middle, 64, 64);
                assertEquals(1, boxes.size(), "one labelled actor mid-instance");
                assertEquals(segment.label(), boxes.get(0).action());
                assertTrue(scene.boxes(segment.start() - 0.5, 64, 64).isEmpty(), "no labelled actor just before " + segment);
            }
        }
    }

    @Test
    void planIsDeterministicAndTheWriterWritesWhatItPlanned() throws Exception {
        UntrimmedDatasetWriter.Options options = new UntrimmedDatasetWriter.Options(dir.resolve("out"), 3, 7, 32, 32, 5,
                new double[] {8, 10}, new double[] {2, 3}, 2, List.of(KinemaMotion.get("waving"), KinemaMotion.get("clapping")),
                1.0, 1, 2, false);
        UntrimmedDatasetWriter writer = new UntrimmedDatasetWriter(options);
        List<UntrimmedDatasetWriter.Planned> plan = writer.plan();
        assertEquals(plan.stream().map(p -> p.video().segments()).toList(),
                new UntrimmedDatasetWriter(options).plan().stream().map(p -> p.video().segments()).toList());
        UntrimmedDatasetWriter.Summary summary = writer.write(done -> { });
        Map<String, ActivityNetJson.Video> truth = ActivityNetJson.readGroundTruth(dir.resolve("out/activitynet.json"), null);
        assertEquals(3, truth.size());
        for (UntrimmedDatasetWriter.Planned p : plan) {
            assertTrue(Files.size(p.file()) > 0);
            assertEquals(p.video().segments(), truth.get(p.video().id()).annotations());
            for (UntrimmedDatasetWriter.Window w : p.windows()) {
                assertTrue(Files.exists(w.file()), w.file().toString());
            }
        }
        assertEquals(List.of("training", "validation", "testing"), truth.values().stream().map(ActivityNetJson.Video::subset).toList());
        Comparator<Segment> order = Comparator.comparing(Segment::videoId).thenComparingDouble(Segment::start);
        List<Segment> fromLists = ThumosLists.read(dir.resolve("out/thumos")).stream().sorted(order).toList();
        List<Segment> fromJson = truth.values().stream().flatMap(v -> v.annotations().stream())
                .map(x -> Segment.truth(x.videoId(), Math.round(x.start() * 10) / 10.0, Math.round(x.end() * 10) / 10.0, x.label()))
                .sorted(order).toList();
        assertEquals(fromJson, fromLists, "THUMOS lists hold the same segments (to 0.1 s, THUMOS's precision)");
        assertEquals(summary.windows(), plan.stream().mapToInt(p -> p.windows().size()).sum());
    }
}

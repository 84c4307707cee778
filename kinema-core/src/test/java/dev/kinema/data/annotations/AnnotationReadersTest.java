package dev.kinema.data.annotations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationReadersTest {
    @TempDir
    Path dir;

    @Test
    void activityNetGroundTruthAndResultsMatchAcrossTheVPrefix() throws Exception {
        Path gt = Files.writeString(dir.resolve("gt.json"), """
                {"version": "1.3", "database": {
                  "v_abc": {"duration": 30.5, "subset": "validation",
                            "annotations": [{"segment": [1.5, 4.0], "label": "wave"}, {"segment": [10, 12], "label": "clap"}]},
                  "def": {"duration": 20, "subset": "training", "annotations": []}}}
                """);
        Map<String, ActivityNetJson.Video> all = ActivityNetJson.readGroundTruth(gt, null);
        assertEquals(List.of("abc", "def"), List.copyOf(all.keySet()));
        assertEquals(List.of(Segment.truth("abc", 1.5, 4.0, "wave"), Segment.truth("abc", 10, 12, "clap")), all.get("abc").annotations());
        assertEquals(30.5, all.get("abc").duration(), 0);
        assertEquals(Set.of("abc"), ActivityNetJson.readGroundTruth(gt, "validation").keySet());

        Path pred = Files.writeString(dir.resolve("pred.json"), """
                {"results": {"abc": [{"label": "wave", "score": 0.7, "segment": [1, 4]}],
                             "v_def": [{"score": 0.2, "segment": [0, 3]}]}}
                """);
        assertEquals(List.of(new Segment("abc", 1, 4, "wave", 0.7), new Segment("def", 0, 3, "", 0.2)), ActivityNetJson.readResults(pred));
    }

    @Test
    void activityNetWritesWhatItReads() throws Exception {
        Path gt = dir.resolve("out/gt.json");
        List<Segment> segs = List.of(Segment.truth("x", 0.5, 2.25, "wave"));
        ActivityNetJson.writeGroundTruth(gt, List.of(new ActivityNetJson.Video("x", 10, "testing", segs)));
        assertEquals(segs, ActivityNetJson.readGroundTruth(gt, "testing").get("x").annotations());
        Path res = dir.resolve("out/res.json");
        List<Segment> preds = List.of(new Segment("x", 0.5, 2.25, "wave", 0.25));
        ActivityNetJson.writeResults(res, List.of("x", "y"), preds);
        assertEquals(preds, ActivityNetJson.readResults(res));
    }

    @Test
    void activityNetBadEntriesNameTheFileAndPlace() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), """
                {"database": {"abc": {"annotations": [{"segment": [4, 1], "label": "x"}]}}}
                """);
        AnnotationException e = assertThrows(AnnotationException.class, () -> ActivityNetJson.readGroundTruth(bad, null));
        assertEquals(bad + ": database.abc.annotations[0].segment: [4.0, 1.0] is not a segment (end before start)", e.getMessage());
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\n\"results\": {\n  \"a\": [\n}");
        e = assertThrows(AnnotationException.class, () -> ActivityNetJson.readResults(broken));
        assertEquals(true, e.getMessage().startsWith(broken + ":4: not valid JSON"), e.getMessage());
    }

    @Test
    void thumosListsTakeTheClassFromTheFileName() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("thumos"));
        Files.writeString(folder.resolve("BaseballPitch_test.txt"), "video_test_0000004 0.2 1.1\nvideo_test_0000004\t6.4  7.0\n\n");
        Files.writeString(folder.resolve("CliffDiving_test.txt"), "video_test_0000011 15.0 18.5\n");
        assertEquals(List.of(Segment.truth("video_test_0000004", 0.2, 1.1, "BaseballPitch"),
                Segment.truth("video_test_0000004", 6.4, 7.0, "BaseballPitch"),
                Segment.truth("video_test_0000011", 15.0, 18.5, "CliffDiving")), ThumosLists.read(folder));
        Files.writeString(folder.resolve("Bad_test.txt"), "a 1 2\nb 1 x\n");
        AnnotationException e = assertThrows(AnnotationException.class, () -> ThumosLists.read(folder));
        assertEquals(folder.resolve("Bad_test.txt") + ":2: end 'x' is not a number", e.getMessage());
    }

    @Test
    void avaCsvGroundTruthDetectionsExclusionsAndLabelMap() throws Exception {
        Path gt = Files.writeString(dir.resolve("gt.csv"), "-5KQ66BBWC4,0902,0.077,0.151,0.283,0.811,80,1\n-5KQ66BBWC4,902,0.077,0.151,0.283,0.811,9,1\n");
        List<ActorBox> truth = AvaCsv.readGroundTruth(gt);
        assertEquals(new ActorBox("-5KQ66BBWC4", 902, 0.077, 0.151, 0.283, 0.811, 80, 1, 1.0), truth.get(0));
        assertEquals("-5KQ66BBWC4,0902", truth.get(1).key());
        Path det = Files.writeString(dir.resolve("det.csv"), "v,1,0.1,0.1,0.5,0.5,3,2,0.75\nv,1,0.1,0.1,0.5,0.5,4,0.5\n");
        List<ActorBox> detections = AvaCsv.readDetections(det);
        assertEquals(0.75, detections.get(0).score(), 0);
        assertEquals(2, detections.get(0).personId());
        assertEquals(0.5, detections.get(1).score(), 0);
        assertEquals(-1, detections.get(1).personId());
        Path excl = Files.writeString(dir.resolve("excl.csv"), "v,0001\nw,12\n");
        assertEquals(Set.of("v,0001", "w,0012"), AvaCsv.readExclusions(excl));
        Path map = Files.writeString(dir.resolve("labels.pbtxt"), """
                item {
                  name: "bend/bow (at the waist)"
                  id: 1
                }
                item {
                  name: "crawl"
                  label_id: 2
                }
                """);
        assertEquals(Map.of(1, "bend/bow (at the waist)", 2, "crawl"), AvaCsv.readLabelMap(map));
        Path props = Files.writeString(dir.resolve("props.csv"), "v,1,0.1,0.1,0.5,0.5,0.9\n");
        assertEquals(0.9, AvaCsv.readProposals(props).get(0).score(), 0);
    }

    @Test
    void avaBadLinesAreFileLineReason() throws Exception {
        Path gt = Files.writeString(dir.resolve("gt.csv"), "v,1,0.1,0.1,0.5,0.5,3,2\nv,1,0.1,0.1,1.5,0.5,3,2\n");
        AnnotationException e = assertThrows(AnnotationException.class, () -> AvaCsv.readGroundTruth(gt));
        assertEquals(gt + ":2: x2 1.5 is outside [0, 1] (AVA boxes are normalised)", e.getMessage());
        Path det = Files.writeString(dir.resolve("det.csv"), "v,1,0.1,0.1,0.5,0.5,3\n");
        e = assertThrows(AnnotationException.class, () -> AvaCsv.readDetections(det));
        assertEquals(true, e.getMessage().startsWith(det + ":1: expected 9 columns"), e.getMessage());
        Path ts = Files.writeString(dir.resolve("ts.csv"), "v,1.5\n");
        e = assertThrows(AnnotationException.class, () -> AvaCsv.readExclusions(ts));
        assertEquals(ts + ":1: timestamp 1.5 is not a whole number of seconds", e.getMessage());
    }

    @Test
    void avaWritesWhatItReads() throws Exception {
        List<ActorBox> boxes = List.of(new ActorBox("v", 3, 0.125, 0.25, 0.5, 0.75, 2, 1, 0.5));
        Path f = dir.resolve("w.csv");
        AvaCsv.write(f, boxes, true);
        assertEquals(boxes, AvaCsv.readDetections(f));
        AvaCsv.write(f, boxes, false);
        assertEquals(1.0, AvaCsv.readGroundTruth(f).get(0).score(), 0);
        AvaCsv.writeLabelMap(dir.resolve("l.pbtxt"), Map.of(2, "wave"));
        assertEquals(Map.of(2, "wave"), AvaCsv.readLabelMap(dir.resolve("l.pbtxt")));
    }
}

package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VideoDatasetTest {
    private final Path root = Path.of("/data");

    private VideoDataset dataset() {
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        splits.put("test", List.of(VideoSample.ofFile(root.resolve("t.mp4"), -1, null, "test")));
        splits.put("validation", List.of(VideoSample.ofFile(root.resolve("v.mp4"), 1, "b", "validation")));
        splits.put("train", List.of(VideoSample.ofFile(root.resolve("a.mp4"), 0, "a", "train"),
                VideoSample.ofFile(root.resolve("b.mp4"), 1, "b", "train")));
        return new VideoDataset(DatasetFormat.FOLDER, root, List.of("a", "b"), splits, DatasetReport.empty());
    }

    @Test
    void splitsAreOrderedAndFoundByAlias() {
        VideoDataset ds = dataset();
        assertEquals(List.of("train", "validation", "test"), ds.splits());
        assertEquals(1, ds.samples("val").size());
        assertEquals(1, ds.samples("VALID").size());
        assertEquals(4, ds.samples().size());
        assertEquals(4, ds.size());
        assertEquals(2, ds.numClasses());
        assertEquals(1, ds.labelIndex("b"));
        assertEquals(-1, ds.labelIndex("c"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ds.samples("dev"));
        assertEquals("no split 'dev' in this dataset; its splits are train, validation, test", e.getMessage());
        assertEquals("folder dataset at /data: 2 classes, train 2, validation 1, test 1, 0 problems", ds.toString());
    }

    @Test
    void samplesMustAgreeWithTheClassList() {
        Map<String, List<VideoSample>> splits = Map.of("train",
                List.of(VideoSample.ofFile(root.resolve("a.mp4"), 1, "a", "train")));
        assertThrows(IllegalArgumentException.class,
                () -> new VideoDataset(DatasetFormat.FOLDER, root, List.of("a", "b"), splits, DatasetReport.empty()));
        Map<String, List<VideoSample>> wrongSplit = Map.of("train",
                List.of(VideoSample.ofFile(root.resolve("a.mp4"), 0, "a", "test")));
        assertThrows(IllegalArgumentException.class,
                () -> new VideoDataset(DatasetFormat.FOLDER, root, List.of("a"), wrongSplit, DatasetReport.empty()));
    }

    @Test
    void sampleInvariants() {
        assertThrows(IllegalArgumentException.class, () -> VideoSample.ofFile(root, 0, null, "train"));
        assertThrows(IllegalArgumentException.class, () -> VideoSample.ofFile(root, -1, "a", "train"));
        VideoSample s = VideoSample.ofFile(root.resolve("x.mp4"), 0, "a", "train", root.resolve("list.txt"), 3);
        assertTrue(s.isWholeFile());
        assertEquals("/data/list.txt:3", s.origin());
        VideoSample clip = s.withTimes(1.5, 2.5);
        assertEquals(1.5, clip.startSeconds());
        assertThrows(IllegalArgumentException.class, () -> s.withTimes(3, 2));
        assertThrows(IllegalArgumentException.class, () -> s.withTimes(Double.NaN, 2));
    }

    @Test
    void csvFieldsWithQuotes() {
        assertEquals(List.of("a", "b c", "say \"hi\"", ""), Csv.split("a,\"b c\",\"say \"\"hi\"\"\","));
        assertEquals(null, Csv.split("\"open"));
        assertEquals("val", Splits.fromFileName("kinetics-600_val.csv"));
        assertEquals("train", Splits.fromFileName("kinetics400_train_list_videos.txt"));
        assertEquals(null, Splits.fromFileName("trainlist01.txt")); // one word: 'trainlist'
    }
}

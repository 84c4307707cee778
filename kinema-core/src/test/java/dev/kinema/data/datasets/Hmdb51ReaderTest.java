package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Hmdb51ReaderTest {
    @TempDir
    Path root;

    private VideoDataset read(Optional<Path> annotations, DatasetOptions options) throws IOException {
        return DatasetFormat.HMDB51.reader().read(root, annotations, options);
    }

    private void hmdb() {
        Path splits = root.resolve("testTrainMulti_7030_splits");
        // Lines end in a space, as in the official files.
        Fake.write(splits, "climb_stairs_test_split1.txt", "stairs_a.avi 1 ", "stairs_b.avi 2 ", "stairs_c.avi 0 ");
        Fake.write(splits, "brush_hair_test_split1.txt", "hair_a.avi 2 ", "hair_b.avi 1 ");
        Fake.write(splits, "climb_stairs_test_split2.txt", "stairs_a.avi 2 ", "stairs_b.avi 1 ", "stairs_c.avi 0 ");
        Fake.write(splits, "brush_hair_test_split2.txt", "hair_a.avi 1 ", "hair_b.avi 0 ");
        Fake.touch(root, "climb_stairs/stairs_a.avi", "climb_stairs/stairs_b.avi", "brush_hair/hair_a.avi",
                "brush_hair/hair_b.avi");
    }

    @Test
    void readsSplitOneWithSortedClassesAndSkipsUnused() throws IOException {
        hmdb();
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertEquals(List.of("brush_hair", "climb_stairs"), ds.labels());
        List<VideoSample> train = ds.samples("train");
        List<VideoSample> test = ds.samples("test");
        assertEquals(List.of(root.resolve("brush_hair/hair_b.avi"), root.resolve("climb_stairs/stairs_a.avi")),
                train.stream().map(VideoSample::path).toList());
        assertEquals(List.of(0, 1), train.stream().map(VideoSample::label).toList());
        assertEquals(List.of(root.resolve("brush_hair/hair_a.avi"), root.resolve("climb_stairs/stairs_b.avi")),
                test.stream().map(VideoSample::path).toList());
        assertEquals(root.resolve("testTrainMulti_7030_splits/climb_stairs_test_split1.txt"), test.get(1).source());
        assertEquals(2, test.get(1).line());
        assertTrue(ds.report().isEmpty(), ds.report().toString()); // stairs_c.avi is tagged 0: not needed
    }

    @Test
    void splitNumberIsSelectable() throws IOException {
        hmdb();
        VideoDataset ds = read(Optional.empty(), DatasetOptions.builder().optSplitNumber(2).build());
        assertEquals(2, ds.samples("train").size());
        assertEquals(1, ds.samples("test").size());
        assertEquals(root.resolve("climb_stairs/stairs_a.avi"), ds.samples("test").get(0).path());
        VideoDataset fromFile = read(Optional.of(root.resolve("testTrainMulti_7030_splits/brush_hair_test_split2.txt")),
                Fake.lenient());
        assertEquals(1, fromFile.samples("test").size());
    }

    @Test
    void badLinesAreReported() throws IOException {
        Fake.write(root, "wave_test_split1.txt", "a.avi 1", "b.avi 3", "c.avi", "d.avi 2");
        Fake.touch(root, "wave/a.avi");
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertEquals(1, ds.samples("train").size());
        assertEquals(List.of(
                "wave_test_split1.txt:2: expected 'video.avi 0|1|2', got 'b.avi 3'",
                "wave_test_split1.txt:3: expected 'video.avi 0|1|2', got 'c.avi'",
                "wave_test_split1.txt:4: missing file wave/d.avi"), ds.report().lines());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.strict()));
        assertEquals("wave_test_split1.txt:2: expected 'video.avi 0|1|2', got 'b.avi 3'", e.getMessage());
    }

    @Test
    void splitWithNoFilesIsFatal() {
        hmdb();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> read(Optional.empty(), DatasetOptions.builder().optSplitNumber(3).build()));
        assertEquals("testTrainMulti_7030_splits: no split files for split 3 (<class>_test_split3.txt)", e.getMessage());
    }
}

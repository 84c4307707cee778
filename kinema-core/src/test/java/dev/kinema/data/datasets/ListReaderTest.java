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

class ListReaderTest {
    @TempDir
    Path root;

    private VideoDataset videos(Path list, DatasetOptions options) throws IOException {
        return DatasetFormat.VIDEO_LIST.reader().read(root, Optional.of(list), options);
    }

    private VideoDataset frames(Path list, DatasetOptions options) throws IOException {
        return DatasetFormat.RAWFRAMES.reader().read(root, Optional.of(list), options);
    }

    @Test
    void videoListWithIntegerLabels() throws IOException {
        Path list = Fake.write(root, "kinetics400_train_list_videos.txt",
                "some/path/000.mp4 1", "some/path/001.mp4 3", "some/path/002.mp4 0");
        Fake.touch(root, "some/path/000.mp4", "some/path/001.mp4", "some/path/002.mp4");
        VideoDataset ds = videos(list, Fake.lenient());
        assertEquals(List.of("0", "1", "2", "3"), ds.labels()); // no label map: indices named by number
        assertEquals(List.of("train"), ds.splits()); // from the file name
        List<VideoSample> s = ds.samples("train");
        assertEquals(List.of(1, 3, 0), s.stream().map(VideoSample::label).toList());
        assertEquals(root.resolve("some/path/001.mp4"), s.get(1).path());
        assertEquals(2, s.get(1).line());
        assertEquals(list, s.get(1).source());
        assertTrue(ds.report().isEmpty());
    }

    @Test
    void videoListWithClassNamesSortsThem() throws IOException {
        Path list = Fake.write(root, "mine.txt", "a.mp4 walk", "b.mp4 run", "c.mp4 walk");
        Fake.touch(root, "a.mp4", "b.mp4", "c.mp4");
        VideoDataset ds = videos(list, Fake.lenient());
        assertEquals(List.of("run", "walk"), ds.labels());
        assertEquals(List.of("all"), ds.splits());
        assertEquals(List.of(1, 0, 1), ds.samples("all").stream().map(VideoSample::label).toList());
    }

    @Test
    void labelMapNamesIndicesAndChecksNames() throws IOException {
        Path map = Fake.write(root, "label_map.txt", "abseiling", "air drumming");
        Path list = Fake.write(root, "val_list.txt", "a.mp4 1", "b.mp4 2", "c.mp4 abseiling", "d.mp4 Foo");
        Fake.touch(root, "a.mp4", "b.mp4", "c.mp4", "d.mp4");
        VideoDataset ds = videos(list, DatasetOptions.builder().optLabelMap(map).build());
        assertEquals(List.of("abseiling", "air drumming"), ds.labels());
        List<VideoSample> s = ds.samples("val");
        assertEquals(List.of(1, 0), s.stream().map(VideoSample::label).toList());
        assertEquals("air drumming", s.get(0).labelName());
        assertEquals(List.of(
                "val_list.txt:2: unknown class index 2 (the label map has 2 classes)",
                "val_list.txt:4: unknown class 'Foo'"), ds.report().lines());
    }

    @Test
    void malformedAndMissingVideoLines() throws IOException {
        Path list = Fake.write(root, "train.txt", "a.mp4 0", "b.mp4", "c.mp4 0 1", "d.mp4 -1", "e.mp4 0");
        Fake.touch(root, "a.mp4");
        VideoDataset ds = videos(list, Fake.lenient());
        assertEquals(1, ds.size());
        assertEquals(List.of(
                "train.txt:2: expected 'path label', got 1 field",
                "train.txt:3: expected 'path label', got 3 fields",
                "train.txt:4: class index -1 is negative",
                "train.txt:5: missing file e.mp4"), ds.report().lines());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> videos(list, Fake.strict()));
        assertEquals("train.txt:2: expected 'path label', got 1 field", e.getMessage());
    }

    @Test
    void rawframesListWithAndWithoutOffsets() throws IOException {
        Path list = Fake.write(root, "sthv1_val_list_rawframes.txt",
                "some/directory-1 163 1",
                "some/directory-2 12 100 0",
                "some/directory-3 0 1",
                "some/directory-4 many 1",
                "some/directory-5 10",
                "some/missing 10 1");
        Fake.mkdirs(root, "some/directory-1", "some/directory-2", "some/directory-3", "some/directory-4");
        VideoDataset ds = frames(list, Fake.lenient());
        assertEquals(List.of("0", "1"), ds.labels());
        List<VideoSample> s = ds.samples("val");
        assertEquals(2, s.size());
        FrameFolder f1 = s.get(0).frames();
        assertEquals(163, f1.frameCount());
        assertEquals(1, f1.firstNumber());
        assertEquals(root.resolve("some/directory-1/img_00001.jpg"), f1.framePath(0));
        assertEquals(root.resolve("some/directory-1/img_00163.jpg"), f1.framePath(162));
        assertEquals(root.resolve("some/directory-1"), s.get(0).path());
        FrameFolder f2 = s.get(1).frames();
        assertEquals(100, f2.frameCount());
        assertEquals(root.resolve("some/directory-2/img_00013.jpg"), f2.framePath(0)); // offset 12 + start 1
        assertEquals(List.of(
                "sthv1_val_list_rawframes.txt:3: total_frames '0' is not a positive number",
                "sthv1_val_list_rawframes.txt:4: total_frames 'many' is not a positive number",
                "sthv1_val_list_rawframes.txt:5: expected 'frame_dir total_frames label' or "
                        + "'frame_dir offset total_frames label', got 2 fields",
                "sthv1_val_list_rawframes.txt:6: missing frame folder some/missing"), ds.report().lines());
    }

    @Test
    void rawframesTemplateIsAnOption() throws IOException {
        Path list = Fake.write(root, "train_frames.txt", "v1 3 0");
        Fake.mkdirs(root, "v1");
        VideoDataset ds = frames(list, DatasetOptions.builder().optFrameTemplate("frame%06d.png").build());
        assertEquals(root.resolve("v1/frame000003.png"), ds.samples("train").get(0).frames().framePath(2));
    }

    @Test
    void aFolderOfListsIsOneSplitPerList() throws IOException {
        Path lists = root.resolve("lists");
        Fake.write(lists, "ucf101_train_split_1_videos.txt", "a.avi 0", "b.avi 1");
        Fake.write(lists, "ucf101_val_split_1_videos.txt", "c.avi 1");
        Fake.write(lists, "readme.txt", "this is not a list at all");
        Fake.touch(root, "a.avi", "b.avi", "c.avi");
        VideoDataset ds = DatasetFormat.VIDEO_LIST.reader().read(root, Optional.of(lists), Fake.lenient());
        assertEquals(List.of("train", "val"), ds.splits());
        assertEquals(2, ds.samples("train").size());
        assertEquals(1, ds.samples("val").size());
        assertTrue(ds.report().isEmpty(), ds.report().toString());
    }

    @Test
    void needsAnAnnotationFile() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetFormat.VIDEO_LIST.reader().read(root, Optional.empty(), Fake.lenient()));
        assertTrue(e.getMessage().endsWith(": the list format needs an annotation list file"), e.getMessage());
    }
}

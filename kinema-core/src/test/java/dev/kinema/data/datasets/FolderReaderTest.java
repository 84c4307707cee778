package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderReaderTest {
    @TempDir
    Path root;

    private VideoDataset read(DatasetOptions options) throws IOException {
        return DatasetFormat.FOLDER.reader().read(root, Optional.empty(), options);
    }

    private static List<String> names(List<VideoSample> samples) {
        return samples.stream().map(s -> s.path().getFileName().toString()).toList();
    }

    @Test
    void splitFoldersAndClassesSortedByNameOverAllSplits() throws IOException {
        Fake.touch(root, "train/walk/b.mp4", "train/walk/a.AVI", "train/run/x.mkv", "train/run/notes.txt",
                "train/run/.hidden.mp4", "val/walk/v.webm", "val/jump/j.mov", "test/run/t.mp4");
        VideoDataset ds = read(Fake.lenient());

        assertEquals(List.of("jump", "run", "walk"), ds.labels()); // union of all splits, sorted
        assertEquals(3, ds.numClasses());
        assertEquals(List.of("train", "val", "test"), ds.splits());
        List<VideoSample> train = ds.samples("train");
        assertEquals(List.of("x.mkv", "a.AVI", "b.mp4"), names(train)); // class order, then name order
        assertEquals(List.of(1, 2, 2), train.stream().map(VideoSample::label).toList());
        assertEquals("run", train.get(0).labelName());
        assertEquals(root.resolve("train/run/x.mkv"), train.get(0).path());
        assertTrue(train.get(0).isWholeFile());
        assertEquals(-1, train.get(0).line());
        assertEquals(null, train.get(0).source());
        assertEquals(List.of("j.mov", "v.webm"), names(ds.samples("val")));
        assertEquals(List.of(0, 2), ds.samples("validation").stream().map(VideoSample::label).toList());
        assertEquals(1, ds.samples("test").size());
        assertTrue(ds.report().isEmpty(), ds.report().toString());
    }

    @Test
    void noSplitFoldersIsOneSplitCalledAll() throws IOException {
        Fake.touch(root, "b_class/1.mp4", "a_class/2.mp4", "a_class/3.mp4");
        VideoDataset ds = read(Fake.lenient());
        assertEquals(List.of("all"), ds.splits());
        assertEquals(List.of("a_class", "b_class"), ds.labels());
        assertEquals(List.of("2.mp4", "3.mp4", "1.mp4"), names(ds.samples("all")));
    }

    @Test
    void classesSortCaseSensitivelyByCodePointAsPythonSorted() throws IOException {
        Fake.touch(root, "apple/1.mp4", "Zebra/1.mp4", "_under/1.mp4", "Éclair/1.mp4", "10/1.mp4", "9/1.mp4");
        assertEquals(List.of("10", "9", "Zebra", "_under", "apple", "Éclair"), read(Fake.lenient()).labels());
    }

    @Test
    void frameFoldersAndNestedFoldersInsideAClass() throws IOException {
        Fake.frames(root, "train/wave/clip1", 3);
        Fake.touch(root, "train/wave/clip1/flow_x_00001.jpg", "train/wave/z.mp4", "train/wave/more/deeper.mp4");
        VideoDataset ds = read(Fake.lenient());
        List<VideoSample> s = ds.samples("train");
        // Files of the class folder first, then sub-folders in name order.
        assertEquals(List.of("z.mp4", "clip1", "deeper.mp4"), names(s));
        VideoSample frames = s.get(1);
        assertTrue(frames.isFrameFolder());
        assertEquals(3, frames.frames().frameCount());
        assertEquals(root.resolve("train/wave/clip1/img_00001.jpg"), frames.frames().framePath(0));
        assertFalse(s.get(0).isFrameFolder());
    }

    @Test
    void emptyClassAndHoleInFramesAreReportedAndSkipped() throws IOException {
        Fake.touch(root, "train/a/1.mp4", "train/a/gappy/img_00001.jpg", "train/a/gappy/img_00003.jpg");
        Fake.mkdirs(root, "train/b");
        VideoDataset ds = read(Fake.lenient());
        assertEquals(List.of("a", "b"), ds.labels()); // the empty class keeps its index
        assertEquals(1, ds.samples("train").size());
        assertEquals(List.of(
                "train/a/gappy: frames are not numbered without gaps: img_00002.jpg is missing but img_00003.jpg is there",
                "train/b: no video files or frame folders"), ds.report().lines());
    }

    @Test
    void strictModeThrowsTheFirstProblem() {
        Fake.touch(root, "train/a/1.mp4");
        Fake.mkdirs(root, "train/b");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(Fake.strict()));
        assertEquals("train/b: no video files or frame folders", e.getMessage());
        assertEquals(DatasetReport.Kind.EMPTY_CLASS, e.problem().orElseThrow().kind());
    }

    @Test
    void labelMapFixesTheOrderAndFlagsOtherClasses() throws IOException {
        Fake.touch(root, "walk/1.mp4", "run/1.mp4", "swim/1.mp4");
        Path map = Fake.write(root, "map.txt", "walk", "run"); // a loose file: not a class
        VideoDataset ds = read(DatasetOptions.builder().optLabelMap(map).build());
        assertEquals(List.of("walk", "run"), ds.labels());
        assertEquals(List.of(0, 1), ds.samples("all").stream().map(VideoSample::label).toList());
        assertEquals(List.of("swim: unknown class 'swim' (not in the label map)"), ds.report().lines());
    }

    @Test
    void otherExtensionsCanBeChosen() throws IOException {
        Fake.touch(root, "a/1.mp4", "a/2.y4m");
        VideoDataset ds = read(DatasetOptions.builder().optVideoExtensions(java.util.Set.of(".Y4M")).build());
        assertEquals(List.of("2.y4m"), names(ds.samples("all")));
    }

    @Test
    void annotationFilesAreRefused() {
        Fake.touch(root, "a/1.mp4");
        Path list = Fake.write(root, "list.txt", "a/1.mp4 0");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetFormat.FOLDER.reader().read(root, Optional.of(list), Fake.lenient()));
        assertTrue(e.getMessage().startsWith("list.txt: the folder format reads no annotation file"), e.getMessage());
    }

    @Test
    void noClassFoldersIsAnError() {
        Fake.touch(root, "loose.mp4");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(Fake.lenient()));
        assertTrue(e.getMessage().endsWith(": no class folders"), e.getMessage());
    }
}

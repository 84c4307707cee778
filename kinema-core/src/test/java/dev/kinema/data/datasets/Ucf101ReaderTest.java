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

class Ucf101ReaderTest {
    @TempDir
    Path root;

    private VideoDataset read(Optional<Path> annotations, DatasetOptions options) throws IOException {
        return DatasetFormat.UCF101.reader().read(root, annotations, options);
    }

    /** Three classes, split files in root/ucfTrainTestlist, written with CRLF as the official ones are. */
    private void ucf() {
        Fake.writeRaw(root, "ucfTrainTestlist/classInd.txt", "1 ApplyEyeMakeup\r\n2 Archery\r\n3 HandstandPushups\r\n");
        Fake.writeRaw(root, "ucfTrainTestlist/trainlist01.txt",
                "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi 1\r\n"
                        + "Archery/v_Archery_g08_c01.avi 2\r\n"
                        + "HandstandPushups/v_HandStandPushups_g08_c01.avi 3\r\n");
        Fake.writeRaw(root, "ucfTrainTestlist/testlist01.txt",
                "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi\r\nArchery/v_Archery_g01_c01.avi\r\n");
        Fake.write(root, "ucfTrainTestlist/trainlist02.txt", "Archery/v_Archery_g01_c01.avi 2");
        Fake.write(root, "ucfTrainTestlist/testlist02.txt", "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi");
        Fake.touch(root, "ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi", "ApplyEyeMakeup/v_ApplyEyeMakeup_g01_c01.avi",
                "Archery/v_Archery_g08_c01.avi", "Archery/v_Archery_g01_c01.avi",
                "HandstandPushups/v_HandStandPushups_g08_c01.avi");
    }

    @Test
    void readsSplitOneWithZeroBasedLabels() throws IOException {
        ucf();
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertEquals(List.of("ApplyEyeMakeup", "Archery", "HandstandPushups"), ds.labels());
        assertEquals(List.of("train", "test"), ds.splits());
        List<VideoSample> train = ds.samples("train");
        assertEquals(List.of(0, 1, 2), train.stream().map(VideoSample::label).toList());
        assertEquals(root.resolve("HandstandPushups/v_HandStandPushups_g08_c01.avi"), train.get(2).path());
        assertEquals(root.resolve("ucfTrainTestlist/trainlist01.txt"), train.get(2).source());
        assertEquals(3, train.get(2).line());
        List<VideoSample> test = ds.samples("test");
        assertEquals(List.of(0, 1), test.stream().map(VideoSample::label).toList()); // from the folder
        assertEquals("Archery", test.get(1).labelName());
        assertTrue(ds.report().isEmpty(), ds.report().toString());
    }

    @Test
    void splitNumberIsSelectable() throws IOException {
        ucf();
        VideoDataset ds = read(Optional.empty(), DatasetOptions.builder().optSplitNumber(2).build());
        assertEquals(root.resolve("Archery/v_Archery_g01_c01.avi"), ds.samples("train").get(0).path());
        assertEquals(root.resolve("ApplyEyeMakeup/v_ApplyEyeMakeup_g08_c01.avi"), ds.samples("test").get(0).path());
        // ... or taken from the list file named as the annotations
        VideoDataset two = read(Optional.of(root.resolve("ucfTrainTestlist/testlist02.txt")), Fake.lenient());
        assertEquals(1, two.samples("train").size());
    }

    @Test
    void badLinesAreReportedAsFileLineReason() throws IOException {
        ucf();
        Path list = root.resolve("ucfTrainTestlist");
        Fake.write(list, "trainlist03.txt",
                "Archery/v_Archery_g08_c01.avi 2",
                "Archery/v_Archery_g09_c01.avi 2",
                "Archery/v_Archery_g08_c01.avi 102",
                "Archery/v_Archery_g08_c01.avi 1",
                "Archery/v_Archery_g08_c01.avi two",
                "Archery/v_Archery_g08_c01.avi 2 extra");
        Fake.write(list, "testlist03.txt",
                "Archery/v_Archery_g01_c01.avi",
                "",
                "Foo/v_Foo_g01_c01.avi",
                "v_Archery_g01_c01.avi");
        VideoDataset ds = read(Optional.of(list), DatasetOptions.builder().optSplitNumber(3).build());
        assertEquals(1, ds.samples("train").size());
        assertEquals(1, ds.samples("test").size());
        assertEquals(List.of(
                "ucfTrainTestlist/trainlist03.txt:2: missing file Archery/v_Archery_g09_c01.avi",
                "ucfTrainTestlist/trainlist03.txt:3: unknown class index 102 (classInd.txt has 3 classes)",
                "ucfTrainTestlist/trainlist03.txt:4: class index 1 is 'ApplyEyeMakeup' but the video is in folder 'Archery'",
                "ucfTrainTestlist/trainlist03.txt:5: class index 'two' is not a number",
                "ucfTrainTestlist/trainlist03.txt:6: expected 'Class/video.avi [index]', got 3 fields",
                "ucfTrainTestlist/testlist03.txt:3: unknown class 'Foo'",
                "ucfTrainTestlist/testlist03.txt:4: no class folder in 'v_Archery_g01_c01.avi'"), ds.report().lines());
    }

    @Test
    void annotationsInTheRootPrintAsBareFileNames() throws IOException {
        Fake.write(root, "classInd.txt", "1 Archery");
        Fake.write(root, "trainlist01.txt", "Archery/a.avi 1");
        Fake.write(root, "testlist01.txt", "Archery/b.avi", "Archery/c.avi", "Foo/d.avi");
        Fake.touch(root, "Archery/a.avi", "Archery/b.avi", "Archery/c.avi");
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertEquals(List.of("testlist01.txt:3: unknown class 'Foo'"), ds.report().lines());
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.strict()));
        assertEquals("testlist01.txt:3: unknown class 'Foo'", e.getMessage());
    }

    @Test
    void videosUnderUcf101SubfolderAndListsInSiblingFolder() throws IOException {
        Path videos = root.resolve("UCF101");
        Fake.write(root, "ucfTrainTestlist/classInd.txt", "1 Archery");
        Fake.write(root, "ucfTrainTestlist/trainlist01.txt", "Archery/a.avi 1");
        Fake.write(root, "ucfTrainTestlist/testlist01.txt", "Archery/b.avi");
        Fake.touch(videos, "UCF-101/Archery/a.avi", "UCF-101/Archery/b.avi");
        // root = UCF101/, lists found in ../ucfTrainTestlist, videos in UCF101/UCF-101/
        VideoDataset ds = DatasetFormat.UCF101.reader().read(videos, Optional.empty(), Fake.lenient());
        assertTrue(ds.report().isEmpty(), ds.report().toString());
        assertEquals(videos.resolve("UCF-101/Archery/a.avi"), ds.samples("train").get(0).path());
    }

    @Test
    void missingSplitFileAndBrokenClassIndAreFatal() {
        ucf();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> read(Optional.empty(), DatasetOptions.builder().optSplitNumber(4).build()));
        assertEquals("ucfTrainTestlist/trainlist04.txt: not found (UCF101 has splits 1, 2 and 3)", e.getMessage());

        Fake.write(root, "ucfTrainTestlist/classInd.txt", "1 ApplyEyeMakeup", "3 Archery");
        e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.lenient()));
        assertEquals("ucfTrainTestlist/classInd.txt: class indices must run from 1 to 2 but 2 is missing", e.getMessage());

        Fake.write(root, "ucfTrainTestlist/classInd.txt", "1 ApplyEyeMakeup", "1 Archery");
        e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.lenient()));
        assertEquals("ucfTrainTestlist/classInd.txt:2: class index 1 already given on line 1", e.getMessage());
    }

    @Test
    void noClassIndAnywhereIsFatal() {
        Fake.touch(root, "Archery/a.avi");
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.lenient()));
        assertTrue(e.getMessage().contains("no classInd.txt found"), e.getMessage());
    }
}

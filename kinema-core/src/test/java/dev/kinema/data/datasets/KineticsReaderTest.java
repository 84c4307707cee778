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

class KineticsReaderTest {
    @TempDir
    Path root;

    private VideoDataset read(Optional<Path> annotations, DatasetOptions options) throws IOException {
        return DatasetFormat.KINETICS.reader().read(root, annotations, options);
    }

    /** The CVDF layout: annotations/{train,val,test}.csv, clips in train/, val/<label>/, test/. */
    private void cvdfLayout() {
        Fake.write(root, "annotations/train.csv",
                "label,youtube_id,time_start,time_end,split,is_cc",
                "abseiling,--07WQ2iBlw,1,11,train,0",
                "\"air drumming\",-0nqcAbzLIo,30,40,train,0",
                "\"passing American football (in game)\",_zYyA1Kv6sE,123,133,train,1",
                "abseiling,-2a2yQmkRoQ,7,17,train,0");
        Fake.write(root, "annotations/val.csv",
                "label,youtube_id,time_start,time_end,split",
                "air drumming,abcdefghijk,0,10,val");
        Fake.write(root, "annotations/test.csv",
                "youtube_id,time_start,time_end,split",
                "zzzzzzzzzzz,5,15,test");
        Fake.touch(root,
                "train/--07WQ2iBlw_000001_000011.mp4",
                "train/-0nqcAbzLIo_000030_000040.mp4",
                "train/_zYyA1Kv6sE_000123_000133.mkv",
                "val/air drumming/abcdefghijk_000000_000010.mp4",
                "test/zzzzzzzzzzz_000005_000015.mp4");
    }

    @Test
    void readsAllCsvsWithSortedLabelsPerLabelFoldersAndUnlabeledTest() throws IOException {
        cvdfLayout();
        VideoDataset ds = read(Optional.empty(), Fake.lenient());

        assertEquals(List.of("abseiling", "air drumming", "passing American football (in game)"), ds.labels());
        assertEquals(List.of("train", "val", "test"), ds.splits());
        List<VideoSample> train = ds.samples("train");
        assertEquals(3, train.size());
        VideoSample first = train.get(0);
        assertEquals(root.resolve("train/--07WQ2iBlw_000001_000011.mp4"), first.path());
        assertEquals(0, first.label());
        assertEquals("abseiling", first.labelName());
        assertTrue(first.isWholeFile(), "a trimmed clip is the whole file");
        assertEquals(root.resolve("annotations/train.csv"), first.source());
        assertEquals(2, first.line());
        assertEquals(root.resolve("train/_zYyA1Kv6sE_000123_000133.mkv"), train.get(2).path());
        assertEquals(2, train.get(2).label());

        VideoSample val = ds.samples("val").get(0);
        assertEquals(root.resolve("val/air drumming/abcdefghijk_000000_000010.mp4"), val.path());
        assertEquals(1, val.label());

        VideoSample test = ds.samples("test").get(0);
        assertFalse(test.isLabeled());
        assertEquals(-1, test.label());
        assertEquals(null, test.labelName());

        assertEquals(List.of("annotations/train.csv:5: missing file train/-2a2yQmkRoQ_000007_000017.mp4"),
                ds.report().lines());
    }

    @Test
    void untrimmedVideoGivesTheCsvTimes() throws IOException {
        Fake.write(root, "k.csv", "label,youtube_id,time_start,time_end,split", "yoga,AAAAAAAAAAA,12.5,22.5,train");
        Fake.touch(root, "train/AAAAAAAAAAA.mp4");
        VideoSample s = read(Optional.of(root.resolve("k.csv")), Fake.lenient()).samples("train").get(0);
        assertEquals(root.resolve("train/AAAAAAAAAAA.mp4"), s.path());
        assertEquals(12.5, s.startSeconds());
        assertEquals(22.5, s.endSeconds());
        assertFalse(s.isWholeFile());
    }

    @Test
    void clipNamesTruncateFractionalTimesAsPercent06d() throws IOException {
        Fake.write(root, "k.csv", "label,youtube_id,time_start,time_end,split", "yoga,BBBBBBBBBBB,3.9,13.9,train");
        Fake.touch(root, "train/BBBBBBBBBBB_000003_000013.mp4");
        VideoDataset ds = read(Optional.of(root.resolve("k.csv")), Fake.lenient());
        assertTrue(ds.report().isEmpty(), ds.report().toString());
        assertEquals(root.resolve("train/BBBBBBBBBBB_000003_000013.mp4"), ds.samples("train").get(0).path());
    }

    @Test
    void malformedRowsAreReportedWithTheirLines() throws IOException {
        Path csv = Fake.write(root, "kinetics_train.csv",
                "label,youtube_id,time_start,time_end,split",
                "yoga,CCCCCCCCCCC,0,10,train",
                "yoga,DDDDDDDDDDD,zero,10,train",
                "yoga,EEEEEEEEEEE,10",
                "yoga,FFFFFFFFFFF,20,10,train",
                "\"yoga,GGGGGGGGGGG,0,10,train",
                "yoga,,0,10,train");
        Fake.touch(root, "train/CCCCCCCCCCC_000000_000010.mp4");
        VideoDataset ds = read(Optional.of(csv), Fake.lenient());
        assertEquals(1, ds.samples("train").size());
        assertEquals(List.of(
                "kinetics_train.csv:3: time_start and time_end must be seconds, got 'zero' and '10'",
                "kinetics_train.csv:4: expected 5 fields as in the header, got 3",
                "kinetics_train.csv:5: time_end 10 is before time_start 20",
                "kinetics_train.csv:6: unclosed quote",
                "kinetics_train.csv:7: empty youtube_id"), ds.report().lines());
    }

    @Test
    void labelMapFlagsUnknownLabels() throws IOException {
        Path csv = Fake.write(root, "train.csv", "label,youtube_id,time_start,time_end,split",
                "yoga,HHHHHHHHHHH,0,10,train", "Foo,IIIIIIIIIII,0,10,train");
        Path map = Fake.write(root, "labels.txt", "zumba", "yoga");
        Fake.touch(root, "train/HHHHHHHHHHH_000000_000010.mp4", "train/IIIIIIIIIII_000000_000010.mp4");
        VideoDataset ds = read(Optional.of(csv), DatasetOptions.builder().optLabelMap(map).build());
        assertEquals(List.of("zumba", "yoga"), ds.labels());
        assertEquals(1, ds.samples("train").get(0).label());
        assertEquals(List.of("train.csv:3: unknown class 'Foo'"), ds.report().lines());
    }

    @Test
    void withoutFileChecksPathsAreTheCanonicalNames() throws IOException {
        cvdfLayout();
        VideoDataset ds = read(Optional.empty(), DatasetOptions.builder().optCheckFiles(false).build());
        assertTrue(ds.report().isEmpty());
        assertEquals(4, ds.samples("train").size());
        assertEquals(root.resolve("train/-2a2yQmkRoQ_000007_000017.mp4"), ds.samples("train").get(3).path());
    }

    @Test
    void splitColumnMissingFallsBackToTheFileName() throws IOException {
        Fake.write(root, "annotations/kinetics-600_val.csv", "label,youtube_id,time_start,time_end",
                "yoga,JJJJJJJJJJJ,0,10");
        Fake.touch(root, "validation/JJJJJJJJJJJ_000000_000010.webm");
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertEquals(List.of("val"), ds.splits());
        assertEquals(root.resolve("validation/JJJJJJJJJJJ_000000_000010.webm"), ds.samples("val").get(0).path());
    }

    @Test
    void aClipFoundTwiceResolvesToTheSmallerPath() throws IOException {
        Fake.write(root, "train.csv", "label,youtube_id,time_start,time_end,split", "yoga,LLLLLLLLLLL,0,10,train");
        Fake.touch(root, "train/z/LLLLLLLLLLL_000000_000010.mp4", "train/a/LLLLLLLLLLL_000000_000010.mp4",
                "train/LLLLLLLLLLL_000000_000010.webm");
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertEquals(root.resolve("train/LLLLLLLLLLL_000000_000010.webm"), ds.samples("train").get(0).path());
    }

    @Test
    void strictModeThrowsTheFirstProblem() {
        cvdfLayout();
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> read(Optional.empty(), Fake.strict()));
        assertEquals("annotations/train.csv:5: missing file train/-2a2yQmkRoQ_000007_000017.mp4", e.getMessage());
    }

    @Test
    void missingColumnSkipsTheFile() throws IOException {
        Path csv = Fake.write(root, "train.csv", "label,youtube_id,start,end", "yoga,KKKKKKKKKKK,0,10");
        VideoDataset ds = read(Optional.of(csv), Fake.lenient());
        assertEquals(0, ds.size());
        assertEquals(List.of("train.csv:1: no 'time_start' column in the header "
                + "(expected label,youtube_id,time_start,time_end,split)"), ds.report().lines());
    }
}

package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSummaryTest {
    @TempDir
    Path root;

    @Test
    void countsPerClassAndSplitWithUnlabeledAndProblems() throws IOException {
        Fake.write(root, "train.csv", "label,youtube_id,time_start,time_end,split",
                "yoga,AAAAAAAAAAA,0,10,train", "yoga,BBBBBBBBBBB,0,10,train", "abseiling,CCCCCCCCCCC,0,10,train",
                "abseiling,DDDDDDDDDDD,0,10,train", "yoga,EEEEEEEEEEE,x,10,train");
        Fake.write(root, "val.csv", "label,youtube_id,time_start,time_end,split", "yoga,FFFFFFFFFFF,0,10,val");
        Fake.write(root, "test.csv", "youtube_id,time_start,time_end,split", "GGGGGGGGGGG,0,10,test",
                "HHHHHHHHHHH,0,10,test");
        Fake.touch(root, "train/AAAAAAAAAAA_000000_000010.mp4", "train/BBBBBBBBBBB_000000_000010.mp4",
                "train/CCCCCCCCCCC_000000_000010.mp4", "val/FFFFFFFFFFF_000000_000010.mp4",
                "test/GGGGGGGGGGG_000000_000010.mp4", "test/HHHHHHHHHHH_000000_000010.mp4");
        VideoDataset ds = DatasetFormats.open(root);
        DatasetSummary s = DatasetSummary.of(ds);

        assertEquals(List.of("train", "val", "test"), s.splits());
        assertEquals(1, s.count("train", "abseiling"));
        assertEquals(2, s.count("train", 1));
        assertEquals(0, s.count("val", "abseiling"));
        assertEquals(1, s.count("val", "yoga"));
        assertEquals(2, s.unlabeled("test"));
        assertEquals(3, s.total("train"));
        assertEquals(2, s.total("test"));
        assertEquals(6, s.total());
        assertEquals(3, s.classTotal(1));
        assertEquals(List.of("abseiling"), s.emptyClasses("val"));
        assertEquals(List.of("abseiling", "yoga"), s.emptyClasses("test"));
        assertEquals(Map.of(DatasetReport.Kind.MALFORMED, 1, DatasetReport.Kind.MISSING_FILE, 1), s.problems());
        assertEquals(String.join("\n",
                "class        train  val  test  total",
                "abseiling        1    0     0      1",
                "yoga             2    1     0      3",
                "(unlabeled)      0    0     2      2",
                "total            3    1     2      6",
                "2 classes, problems: 1 malformed, 1 missing file",
                ""), s.format());
        assertThrows(IllegalArgumentException.class, () -> s.total("nope"));
    }

    @Test
    void iteratesEverySplitOfAFolderDataset() throws IOException {
        Fake.touch(root, "train/a/1.mp4", "train/a/2.mp4", "train/b/3.mp4", "test/b/4.mp4");
        Fake.frames(root, "test/a/clip", 2);
        VideoDataset ds = DatasetFormat.FOLDER.reader().read(root, Optional.empty(), DatasetOptions.defaults());
        DatasetSummary s = DatasetSummary.of(ds);
        assertEquals(1, s.frameFolders("test"));
        assertEquals(0, s.frameFolders("train"));
        assertEquals(String.join("\n",
                "class  train  test  total",
                "a          2     1      3",
                "b          1     1      2",
                "total      3     2      5",
                "2 classes, no problems",
                ""), s.format());
    }
}

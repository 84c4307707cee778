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

class DatasetFormatsTest {
    @TempDir
    Path root;

    private DatasetFormat detect(Optional<Path> annotations) throws IOException {
        return DatasetFormats.detect(root, annotations).format();
    }

    @Test
    void detectsUcf101FromItsListFolder() throws IOException {
        Fake.write(root, "ucfTrainTestlist/classInd.txt", "1 Archery");
        Fake.write(root, "ucfTrainTestlist/trainlist01.txt", "Archery/a.avi 1");
        Fake.write(root, "ucfTrainTestlist/testlist01.txt", "Archery/b.avi");
        Fake.touch(root, "Archery/a.avi", "Archery/b.avi");
        assertEquals(DatasetFormat.UCF101, detect(Optional.empty()));
        assertEquals(DatasetFormat.UCF101, detect(Optional.of(root.resolve("ucfTrainTestlist/trainlist01.txt"))));
        assertEquals(root.resolve("ucfTrainTestlist"), DatasetFormats.detect(root, Optional.empty()).evidence());
        VideoDataset ds = DatasetFormats.open(root);
        assertEquals(DatasetFormat.UCF101, ds.format());
        assertEquals(2, ds.size());
    }

    @Test
    void detectsHmdb51() throws IOException {
        Fake.write(root, "testTrainMulti_7030_splits/wave_test_split1.txt", "a.avi 1");
        Fake.touch(root, "wave/a.avi");
        assertEquals(DatasetFormat.HMDB51, detect(Optional.empty()));
        assertEquals(DatasetFormat.HMDB51, detect(Optional.of(root.resolve("testTrainMulti_7030_splits"))));
        assertEquals(1, DatasetFormats.open(root).samples("train").size());
    }

    @Test
    void detectsSomethingSomethingV2() throws IOException {
        Fake.write(root, "labels/labels.json", "{\"Pushing something\": \"0\"}");
        Fake.write(root, "labels/train.json", "[{\"id\":\"1\",\"template\":\"Pushing [something]\"}]");
        Fake.touch(root, "1.webm");
        assertEquals(DatasetFormat.SSV2, detect(Optional.empty()));
        assertEquals(DatasetFormat.SSV2, detect(Optional.of(root.resolve("labels/train.json"))));
        assertEquals(1, DatasetFormats.open(root).samples("train").size());
    }

    @Test
    void detectsKinetics() throws IOException {
        Fake.write(root, "annotations/train.csv", "label,youtube_id,time_start,time_end,split", "yoga,AAAAAAAAAAA,0,10,train");
        Fake.touch(root, "train/AAAAAAAAAAA_000000_000010.mp4");
        assertEquals(DatasetFormat.KINETICS, detect(Optional.empty()));
        assertEquals(DatasetFormat.KINETICS, detect(Optional.of(root.resolve("annotations/train.csv"))));
        assertEquals(1, DatasetFormats.open(root).samples("train").size());
    }

    @Test
    void detectsListsByTheirFirstLine() throws IOException {
        Path videos = Fake.write(root, "train_list_videos.txt", "a.mp4 0");
        Path frames = Fake.write(root, "train_list_rawframes.txt", "a 100 0");
        Path offsets = Fake.write(root, "train_offsets.txt", "a 12 100 0");
        Path other = Fake.write(root, "notes.txt", "hello there you all");
        assertEquals(DatasetFormat.VIDEO_LIST, detect(Optional.of(videos)));
        assertEquals(DatasetFormat.RAWFRAMES, detect(Optional.of(frames)));
        assertEquals(DatasetFormat.RAWFRAMES, detect(Optional.of(offsets)));
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> detect(Optional.of(other)));
        assertTrue(e.getMessage().contains("not an annotation file of a known layout"), e.getMessage());
    }

    @Test
    void fallsBackToFolderPerClass() throws IOException {
        Fake.touch(root, "train/run/a.mp4", "val/run/b.mp4");
        assertEquals(DatasetFormat.FOLDER, detect(Optional.empty()));
        assertEquals(List.of("train", "val"), DatasetFormats.open(root).splits());
    }

    @Test
    void emptyRootIsNotADataset() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> detect(Optional.empty()));
        assertTrue(e.getMessage().endsWith("no dataset layout recognized: no annotation files and no class folders"),
                e.getMessage());
        assertThrows(DatasetFormatException.class, () -> DatasetFormats.open(root.resolve("nope")));
    }

    @Test
    void explicitFormatWinsOverDetection() throws IOException {
        // Looks like UCF101, but the user says it is a folder per class.
        Fake.write(root, "classInd.txt", "1 Archery");
        Fake.touch(root, "Archery/a.avi");
        VideoDataset ds = DatasetFormats.open(root, Optional.empty(), DatasetOptions.builder().optFormat("folder").build());
        assertEquals(DatasetFormat.FOLDER, ds.format());
        assertEquals(List.of("Archery"), ds.labels());
    }

    @Test
    void formatNamesAndAliases() {
        assertEquals(DatasetFormat.SSV2, DatasetFormat.fromName("sthv2"));
        assertEquals(DatasetFormat.SSV2, DatasetFormat.fromName("Something_Something_V2"));
        assertEquals(DatasetFormat.VIDEO_LIST, DatasetFormat.fromName("video_list"));
        assertEquals(DatasetFormat.KINETICS, DatasetFormat.fromName("K400"));
        assertEquals(DatasetFormat.FOLDER, DatasetFormat.fromName("imagefolder"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetFormat.fromName("coco"));
        assertEquals("unknown dataset format 'coco'; known formats: folder, kinetics, ucf101, hmdb51, ssv2, list, rawframes, ava",
                e.getMessage());
    }

    @Test
    void missingAnnotationArgumentIsAnError() {
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetFormats.open(root, Optional.of(root.resolve("missing.txt")), DatasetOptions.defaults()));
        assertEquals(root.resolve("missing.txt") + ": not found", e.getMessage());
    }
}

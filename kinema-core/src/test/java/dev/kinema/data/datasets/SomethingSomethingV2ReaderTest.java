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

class SomethingSomethingV2ReaderTest {
    @TempDir
    Path root;

    private VideoDataset read(Optional<Path> annotations, DatasetOptions options) throws IOException {
        return DatasetFormat.SSV2.reader().read(root, annotations, options);
    }

    private void ssv2() {
        Fake.write(root, "labels/labels.json",
                "{",
                " \"Holding something next to something\": \"1\",",
                " \"Approaching something with your camera\": \"0\",",
                " \"Putting something similar to other things that are already on the table\": \"2\"",
                "}");
        Fake.write(root, "labels/train.json",
                "[",
                "{\"id\":\"78687\",\"label\":\"holding potato next to vicks vaporub bottle\","
                        + "\"template\":\"Holding [something] next to [something]\",\"placeholders\":[\"potato\",\"vicks vaporub bottle\"]},",
                "{\"id\":\"42326\",\"label\":\"approaching a cup with your camera\","
                        + "\"template\":\"Approaching [something] with your camera\",\"placeholders\":[\"a cup\"]},",
                "{",
                "  \"id\": \"100\",",
                "  \"template\": \"Putting [something similar to other things that are already on the table]\"",
                "},",
                "{\"id\":\"5\",\"template\":\"Juggling [something]\"},",
                "{\"template\":\"Holding [something] next to [something]\"},",
                "{\"id\":\"6\",\"label\":\"a label but no template\"},",
                "{\"id\":\"7\",\"template\":\"Holding [something] next to [something]\"},",
                "42",
                "]");
        Fake.write(root, "labels/validation.json",
                "[{\"id\":\"9\",\"label\":\"approaching a box with your camera\","
                        + "\"template\":\"Approaching [something] with your camera\",\"placeholders\":[\"a box\"]}]");
        Fake.write(root, "labels/test.json", "[{\"id\":\"1420\"},{\"id\":\"1421\"}]");
        Fake.touch(root, "videos/78687.webm", "videos/42326.webm", "videos/100.mp4", "videos/9.webm",
                "videos/1420.webm", "videos/1421.webm");
    }

    @Test
    void readsLabelsByIndexAndMatchesTemplatesWithoutBrackets() throws IOException {
        ssv2();
        VideoDataset ds = DatasetFormat.SSV2.reader().read(root.resolve("videos"), Optional.of(root.resolve("labels")),
                Fake.lenient());
        assertEquals(List.of("Approaching something with your camera", "Holding something next to something",
                "Putting something similar to other things that are already on the table"), ds.labels());
        assertEquals(List.of("train", "val", "test"), ds.splits());
        List<VideoSample> train = ds.samples("train");
        assertEquals(List.of(1, 0, 2), train.stream().map(VideoSample::label).toList());
        assertEquals(root.resolve("videos/78687.webm"), train.get(0).path());
        assertEquals(2, train.get(0).line());
        assertEquals(root.resolve("videos/100.mp4"), train.get(2).path()); // no webm: the mp4 is taken
        assertEquals(4, train.get(2).line()); // the line of the entry's opening brace
        assertEquals(0, ds.samples("validation").get(0).label());
        List<VideoSample> test = ds.samples("test");
        assertEquals(2, test.size());
        assertFalse(test.get(0).isLabeled());
        assertEquals(root.resolve("videos/1420.webm"), test.get(0).path());

        String labels = root.resolve("labels").toAbsolutePath() + "/train.json";
        assertEquals(List.of(
                labels + ":8: unknown class 'Juggling something' (id 5)",
                labels + ":9: entry has no 'id'",
                labels + ":10: entry has no 'template' (id 6)",
                labels + ":11: missing file 7.webm",
                labels + ":12: expected an entry {\"id\": ...}, got '42'"), ds.report().lines());
    }

    @Test
    void findsLabelsFolderUnderTheRootAndTheMmaction2FileNames() throws IOException {
        Fake.write(root, "annotations/something-something-v2-labels.json", "{\"Pushing something\": \"0\"}");
        Fake.write(root, "annotations/something-something-v2-train.json",
                "[{\"id\":\"1\",\"template\":\"Pushing [something]\"}]");
        Fake.touch(root, "20bn-something-something-v2/1.webm");
        VideoDataset ds = read(Optional.empty(), Fake.lenient());
        assertTrue(ds.report().isEmpty(), ds.report().toString());
        assertEquals(List.of("train"), ds.splits());
        assertEquals(root.resolve("20bn-something-something-v2/1.webm"), ds.samples("train").get(0).path());
    }

    @Test
    void strictAndBrokenFiles() {
        ssv2();
        Fake.touch(root, "videos/7.webm");
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> DatasetFormat.SSV2.reader().read(root, Optional.empty(), Fake.strict()));
        assertEquals("labels/train.json:2: missing file 78687.webm", e.getMessage());

        Fake.write(root, "labels/labels.json", "{", "\"A\": \"0\",", "\"B\": \"2\"", "}");
        e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.lenient()));
        assertEquals("labels/labels.json: class indices must run from 0 to 1 but 1 is missing", e.getMessage());

        Fake.write(root, "labels/labels.json", "{", "\"A\": \"0\",", "\"B\": 1", "}");
        Fake.write(root, "labels/train.json", "[", "{\"id\": \"1\",", "\"template\": }", "]");
        e = assertThrows(DatasetFormatException.class, () -> read(Optional.empty(), Fake.lenient()));
        assertTrue(e.getMessage().startsWith("labels/train.json:3: invalid JSON: "), e.getMessage());
    }
}

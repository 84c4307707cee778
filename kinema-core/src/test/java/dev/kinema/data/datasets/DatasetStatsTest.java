package dev.kinema.data.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.data.datasets.DatasetStats.Count;
import dev.kinema.data.datasets.DatasetStats.Durations;
import dev.kinema.data.datasets.DatasetStats.Result;
import dev.kinema.data.datasets.DatasetStats.Unreadable;
import dev.kinema.synth.IndexCodedVideo;
import dev.kinema.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetStatsTest {
    @TempDir
    Path root;

    /**
     * train: a/{2.0 s, 3.0 s} at 10 fps 32×32, b/2.0 s at 20 fps 48×32, b/notes.mp4 (text);
     * val: a/1.0 s at 10 fps, b/empty.mp4 (0 bytes); train/c is an empty class folder.
     */
    private VideoDataset folderDataset() throws IOException {
        video("train/a/a1.mp4", 20, 32, 32, 10);
        video("train/a/a2.mp4", 30, 32, 32, 10);
        video("train/b/b1.mp4", 40, 48, 32, 20);
        Fake.write(root, "train/b/notes.mp4", "these are notes, not a video");
        video("val/a/a3.mp4", 10, 32, 32, 10);
        Fake.touch(root, "val/b/empty.mp4");
        Files.createDirectories(root.resolve("train/c"));
        return DatasetFormats.open(root, Optional.empty(), DatasetOptions.builder().optFormat("folder").build());
    }

    private void video(String relative, int frames, int width, int height, double fps) throws IOException {
        Path p = root.resolve(relative);
        Files.createDirectories(p.getParent());
        IndexCodedVideo.write(p, frames, width, height, fps);
    }

    @Test
    void countsDurationsHistogramsAndUnreadableFilesOfAFolderDataset() throws IOException {
        VideoDataset ds = folderDataset();
        AtomicInteger lastProgress = new AtomicInteger();
        DatasetStats stats = DatasetStats.builder().setDataset(ds).optWorkers(3).build();
        assertEquals(6, stats.videoFiles().size());

        Result r = stats.compute(done -> lastProgress.accumulateAndGet(done, Math::max));

        assertEquals(6, lastProgress.get());
        assertEquals(6, r.videoFiles());
        assertEquals(3, r.workers());
        assertFalse(r.verified());
        assertEquals(2, r.summary().count("train", "a"));
        assertEquals(2, r.summary().count("train", "b"));
        assertEquals(1, r.summary().count("val", "b"));
        assertEquals(6, r.summary().total());
        assertEquals(List.of("train/c: no video files or frame folders"),
                r.problems().stream().map(Object::toString).toList());

        Durations train = r.durationsBySplit().get("train");
        assertEquals(3, train.videos());
        assertEquals(2.0, train.minSeconds(), 1e-6);
        assertEquals(2.0, train.medianSeconds(), 1e-6);
        assertEquals(7.0 / 3, train.meanSeconds(), 1e-6);
        assertEquals(3.0, train.maxSeconds(), 1e-6);
        assertEquals(7.0, train.totalSeconds(), 1e-6);
        Durations val = r.durationsBySplit().get("val");
        assertEquals(1, val.videos());
        assertEquals(1.0, val.medianSeconds(), 1e-6);
        assertEquals(List.of("train", "val"), List.copyOf(r.durationsBySplit().keySet()));
        assertEquals(4, r.durations().videos());
        assertEquals(2.0, r.durations().medianSeconds(), 1e-6);
        assertEquals(8.0 / 3600, r.durations().totalHours(), 1e-9);

        assertEquals(List.of(new Count("10", 3), new Count("20", 1)), r.frameRates());
        assertEquals(List.of(new Count("32x32", 3), new Count("48x32", 1)), r.resolutions());

        List<Unreadable> bad = r.unreadable();
        assertEquals(2, bad.size(), bad.toString());
        assertEquals(root.resolve("train/b/notes.mp4"), bad.get(0).file());
        assertTrue(bad.get(0).reason().startsWith("not a media file FFmpeg can read"), bad.get(0).reason());
        assertEquals(root.resolve("val/b/empty.mp4"), bad.get(1).file());
        assertEquals("file is empty (0 bytes)", bad.get(1).reason());
        assertEquals(root.resolve("val/b/empty.mp4") + ": file is empty (0 bytes)", bad.get(1).toString());

        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("kinema-dataset-stats")).count(), "worker threads left running");
    }

    @Test
    void verifyingDecodesEveryFrameAndFindsDamageThatProbingMisses() throws IOException {
        video("train/a/good.mp4", 20, 32, 32, 10);
        Path damaged = root.resolve("train/b/corrupted.mp4");
        Files.createDirectories(damaged.getParent());
        Files.copy(SharedData.file("corrupted.mp4"), damaged);
        VideoDataset ds = DatasetFormats.open(root);

        Result probed = DatasetStats.builder().setDataset(ds).optWorkers(2).build().compute(done -> {});
        assertEquals(List.of(), probed.unreadable());
        assertEquals(2, probed.durations().videos());

        Result verified = DatasetStats.builder().setDataset(ds).optWorkers(1).optVerify(true).build().compute(done -> {});
        assertTrue(verified.verified());
        assertEquals(1, verified.unreadable().size());
        assertEquals(damaged, verified.unreadable().get(0).file());
        assertTrue(verified.unreadable().get(0).reason().startsWith("the video data is damaged"),
                verified.unreadable().get(0).reason());
        assertEquals(1, verified.durations().videos());
        assertEquals(2.0, verified.durations().maxSeconds(), 1e-6);
    }

    @Test
    void aTimeRangeCountsOnlyThePartOfTheFileThatHoldsIt() throws IOException {
        // Two Kinetics rows cut from one untrimmed 3 s file: the first is 1..10 s (the file ends
        // at 3 s, so 2 s of it exist), the second 0.5..1.5 s.
        Fake.write(root, "annotations/train.csv", "label,youtube_id,time_start,time_end,split",
                "yoga,AAAAAAAAAAA,1,10,train", "yoga,AAAAAAAAAAA,0.5,1.5,train");
        video("train/AAAAAAAAAAA.mp4", 30, 32, 32, 10);
        VideoDataset ds = DatasetFormats.open(root);
        DatasetStats stats = DatasetStats.builder().setDataset(ds).build();
        assertEquals(List.of(root.resolve("train/AAAAAAAAAAA.mp4")), stats.videoFiles());

        Result r = stats.compute(done -> {});

        assertEquals(1, r.videoFiles());
        assertEquals(List.of(new Count("10", 1)), r.frameRates());
        Durations train = r.durationsBySplit().get("train");
        assertEquals(2, train.videos());
        assertEquals(1.0, train.minSeconds(), 1e-6);
        assertEquals(2.0, train.maxSeconds(), 1e-6);
        assertEquals(3.0, train.totalSeconds(), 1e-6);
    }

    @Test
    void frameRatesArePrintedAsPeopleWriteThem() {
        assertEquals("25", DatasetStats.fpsLabel(25.0));
        assertEquals("29.97", DatasetStats.fpsLabel(30000.0 / 1001));
        assertEquals("23.976", DatasetStats.fpsLabel(24000.0 / 1001));
        assertEquals("unknown", DatasetStats.fpsLabel(0));
    }

    @Test
    void anEmptySampleSetHasNaNStatisticsAndTheBuilderChecksItsArguments() {
        Durations none = Durations.of(new double[0]);
        assertEquals(0, none.videos());
        assertTrue(Double.isNaN(none.medianSeconds()));
        Durations even = Durations.of(new double[] {4, 1, 3, 2});
        assertEquals(2.5, even.medianSeconds());
        assertThrows(IllegalStateException.class, () -> DatasetStats.builder().build());
        assertThrows(IllegalArgumentException.class, () -> DatasetStats.builder().optWorkers(0));
        assertThrows(IllegalArgumentException.class, () -> DatasetStats.builder().optTimeout(java.time.Duration.ZERO));
    }
}

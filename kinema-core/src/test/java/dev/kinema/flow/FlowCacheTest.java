package dev.kinema.flow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.SynthDatasetWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writing, resuming and reading a flow cache, against flow computed on the fly. */
class FlowCacheTest {
    static final FlowSettings SETTINGS = new FlowSettings(FlowMethod.FARNEBACK, 48, 1);

    @TempDir
    static Path shared;
    static Path dataset;

    @TempDir
    Path tmp;

    @BeforeAll
    static void dataset() {
        dataset = shared.resolve("km");
        SynthDatasetWriter.builder().setOutput(dataset).optVideosPerClass(1).optSize(64, 48).optFps(25)
                .optSeconds(0.6, 0.6).optClasses(List.of(KinemaMotion.get("slide_left"), KinemaMotion.get("clapping")))
                .optWorkers(2).build().write(done -> {});
    }

    FlowCacheWriter writer(Path out) {
        return FlowCacheWriter.builder().setDataset(dataset).setOutput(out).setSettings(SETTINGS).optWorkers(2).build();
    }

    @Test
    void cachedFlowIsTheComputedFlowWithinQuantisation() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter.Summary s = writer(out).run(null);
        assertEquals(2, s.videos());
        assertEquals(2, s.computed());
        assertEquals(List.of(), s.failures());
        assertTrue(s.bytes() > 0 && s.bytesPerField() < 2 * 48 * 64, "compressed below raw codes: " + s.bytesPerField());

        FlowCache cache = FlowCache.open(out, SETTINGS);
        ComputedFlow computed = new ComputedFlow(SETTINGS);
        float tolerance = new FlowQuantizer(FlowQuantizer.DEFAULT_BOUND).maxError() + 1e-5f;
        for (Path video : writer(out).videos()) {
            FlowVideo exact = computed.flowOf(video);
            FlowVideo cached = cache.flowOf(video);
            assertEquals(exact.fields(), cached.fields());
            assertEquals(14, exact.fields(), "0.6 s at 25 fps = 15 frames, 14 fields");
            assertEquals(48, cached.height());
            assertEquals(64, cached.width());
            assertEquals(1, cached.step());
            float[] a = FlowVideos.all(exact);
            float[] b = FlowVideos.all(cached);
            float worst = 0;
            int moving = 0;
            for (int i = 0; i < a.length; i++) {
                float clipped = Math.max(-20, Math.min(20, a[i]));
                worst = Math.max(worst, Math.abs(clipped - b[i]));
                moving += Math.abs(a[i]) > 0.5 ? 1 : 0;
            }
            assertTrue(worst <= tolerance, video + ": worst error " + worst);
            assertTrue(moving > 0, video + " has motion");
        }
    }

    @Test
    void resumeSkipsFinishedVideosAndIgnoresLeftoverTemporaryFiles() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = writer(out);
        List<Path> videos = w.videos();
        w.run(null);
        Path done = w.entryOf(videos.get(0));
        Path interrupted = w.entryOf(videos.get(1));
        FileTime doneTime = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(done, doneTime);
        // As if the run had died while writing the second video: no entry, only AtomicFiles' temporary.
        Files.delete(interrupted);
        Path temporary = interrupted.resolveSibling("." + interrupted.getFileName() + ".1234abcd.tmp");
        Files.write(temporary, new byte[] {'K', 'F', 'L', 'W', 0, 0});

        List<Path> reported = Collections.synchronizedList(new ArrayList<>());
        FlowCacheWriter.Summary s = w.run((video, n, total) -> reported.add(video));
        assertEquals(1, s.skipped());
        assertEquals(1, s.computed());
        assertTrue(reported.contains(videos.get(1)));
        assertFalse(reported.contains(videos.get(0)));
        assertEquals(doneTime, Files.getLastModifiedTime(done), "a finished entry is not rewritten");
        assertTrue(FlowCacheFile.whyNotCurrent(interrupted, dev.kinema.io.FileFingerprint.of(videos.get(1))).isEmpty());
        assertFalse(Files.exists(temporary), "leftover temporary deleted");
    }

    @Test
    void truncatedEntryIsRecomputedOnResumeAndIsAClearErrorWhenRead() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = writer(out);
        w.run(null);
        Path video = w.videos().get(0);
        Path entry = w.entryOf(video);
        byte[] whole = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(whole, whole.length - 10));

        IOException e = assertThrows(IOException.class, () -> FlowCache.open(out).flowOf(video));
        assertTrue(e.getMessage().contains(entry.toString()) && e.getMessage().contains("truncated"), e.getMessage());

        assertEquals(1, w.run(null).computed());
        assertArrayEquals(whole, Files.readAllBytes(entry));
    }

    @Test
    void anEntryDamagedInTheMiddleIsRecomputedOnRerun() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = writer(out);
        w.run(null);
        Path entry = w.entryOf(w.videos().get(0));
        byte[] whole = Files.readAllBytes(entry);
        byte[] damaged = whole.clone();
        // Same length, so the header still matches: only the checksum can tell.
        for (int i = damaged.length / 2; i < damaged.length / 2 + 16; i++) {
            damaged[i] ^= (byte) 0xff;
        }
        Files.write(entry, damaged);

        FlowCacheWriter.Summary rerun = w.run(null);
        assertEquals(1, rerun.computed());
        assertEquals(1, rerun.refreshed());
        assertEquals(1, rerun.skipped());
        assertArrayEquals(whole, Files.readAllBytes(entry));
    }

    @Test
    void aVideoReplacedUnderTheSameNameIsRefusedWhenReadAndRecomputedOnRerun() throws IOException {
        Path data = tmp.resolve("data");
        Path video = data.resolve("train/slide_left/a.mp4");
        Files.createDirectories(video.getParent());
        Files.copy(dataset.resolve("train/slide_left/slide_left_0000.mp4"), video);
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = FlowCacheWriter.builder().setDataset(data).setOutput(out).setSettings(SETTINGS).build();
        w.run(null);
        QuantizedFlow before = FlowCache.open(out).flowOf(video);

        // As if the dataset had been re-rendered with another seed into the same folder.
        Files.copy(dataset.resolve("train/clapping/clapping_0000.mp4"), video, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IOException e = assertThrows(IOException.class, () -> FlowCache.open(out).flowOf(video));
        assertTrue(e.getMessage().startsWith(video.toString()) && e.getMessage().contains("computed from another video")
                && e.getMessage().contains("rerun kinema flow"), e.getMessage());

        FlowCacheWriter.Summary rerun = w.run(null);
        assertEquals(1, rerun.computed());
        assertEquals(1, rerun.refreshed());
        assertFalse(java.util.Arrays.equals(before.codes(), FlowCache.open(out).flowOf(video).codes()),
                "the recomputed entry holds the new video's flow");
    }

    @Test
    void aCacheOfTheOlderFormatIsUpgradedByARerun() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = writer(out);
        w.run(null);
        Path manifest = out.resolve(FlowCache.MANIFEST);
        Files.writeString(manifest, Files.readString(manifest).replaceFirst("\"version\"\\s*:\\s*2", "\"version\" : 1"));
        IOException refused = assertThrows(IOException.class, () -> FlowCache.open(out));
        assertTrue(refused.getMessage().contains("version 1") && refused.getMessage().contains("recompute"),
                refused.getMessage());

        assertEquals(2, w.run(null).skipped(), "entries of the current format are kept");
        assertEquals(FlowCacheFile.VERSION, FlowCache.open(out).manifest().version());
    }

    @Test
    void anOutputThatIsAFileIsRefusedByName() throws IOException {
        Path file = Files.writeString(tmp.resolve("flow.txt"), "notes");
        IOException e = assertThrows(IOException.class, () -> writer(file).run(null));
        assertEquals(file + ": is a file, not a folder; a flow cache is written into a folder", e.getMessage());
        assertEquals("notes", Files.readString(file));
    }

    @Test
    void damagedPayloadIsAClearError() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = writer(out);
        w.run(null);
        Path video = w.videos().get(1);
        Path entry = w.entryOf(video);
        byte[] bytes = Files.readAllBytes(entry);
        for (int i = bytes.length - 40; i < bytes.length - 20; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(entry, bytes);
        IOException e = assertThrows(IOException.class, () -> FlowCache.open(out).flowOf(video));
        assertTrue(e.getMessage().contains(entry.toString()) && e.getMessage().contains("corrupted"), e.getMessage());
    }

    @Test
    void mismatchedSettingsAreRefused() throws IOException {
        Path out = tmp.resolve("flow");
        writer(out).run(null);
        FlowSettings other = new FlowSettings(FlowMethod.TVL1, 48, 1);
        IOException read = assertThrows(IOException.class, () -> FlowCache.open(out, other));
        assertTrue(read.getMessage().contains("farneback") && read.getMessage().contains("tvl1"), read.getMessage());

        FlowCacheWriter otherWriter = FlowCacheWriter.builder().setDataset(dataset).setOutput(out)
                .setSettings(new FlowSettings(FlowMethod.FARNEBACK, 32, 1)).build();
        IOException write = assertThrows(IOException.class, () -> otherWriter.run(null));
        assertTrue(write.getMessage().contains("48 px") && write.getMessage().contains("32 px"), write.getMessage());
    }

    @Test
    void videosAreFoundAfterTheDatasetMovesAndMissingOnesAreNamed() throws IOException {
        Path out = tmp.resolve("flow");
        FlowCacheWriter w = writer(out);
        w.run(null);
        Path video = w.videos().get(0);
        Path moved = tmp.resolve("elsewhere").resolve(dataset.relativize(video));
        Files.createDirectories(moved.getParent());
        Files.copy(video, moved);
        FlowCache cache = FlowCache.open(out);
        assertEquals(cache.find(video), cache.find(moved));
        assertEquals(14, cache.flowOf(moved).fields());

        Path stranger = tmp.resolve("stranger.mp4");
        Files.copy(video, stranger);
        IOException e = assertThrows(IOException.class, () -> cache.flowOf(stranger));
        assertTrue(e.getMessage().contains(stranger.toString()), e.getMessage());
    }

    @Test
    void aDirectoryWithoutManifestIsNotACache() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> FlowCache.open(tmp.resolve("empty")));
        assertTrue(e.getMessage().contains("flow.json"), e.getMessage());
    }

    @Test
    void undecodableVideosAreReportedAndDoNotStopTheRun() throws IOException {
        Path data = tmp.resolve("data");
        Files.createDirectories(data.resolve("a"));
        Files.copy(writer(tmp.resolve("unused")).videos().get(0), data.resolve("a/good.mp4"));
        Files.write(data.resolve("a/bad.mp4"), new byte[] {1, 2, 3, 4});
        FlowCacheWriter.Summary s = FlowCacheWriter.builder().setDataset(data).setOutput(tmp.resolve("flow"))
                .setSettings(SETTINGS).optWorkers(2).build().run(null);
        assertEquals(1, s.computed());
        assertEquals(1, s.failures().size());
        assertTrue(s.failures().get(0).video().endsWith("bad.mp4"));
        assertTrue(s.failures().get(0).reason().contains("bad.mp4"), s.failures().get(0).reason());
    }

    @Test
    void flowSourcesPicksTheCacheWhenGivenOne() throws IOException {
        Path out = tmp.resolve("flow");
        writer(out).run(null);
        assertTrue(FlowSources.of(SETTINGS, out) instanceof FlowCache);
        assertTrue(FlowSources.of(SETTINGS, null) instanceof ComputedFlow);
        assertThrows(IOException.class, () -> FlowSources.of(new FlowSettings(FlowMethod.FARNEBACK, 48, 2), out));
    }
}

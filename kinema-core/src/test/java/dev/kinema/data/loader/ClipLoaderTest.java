package dev.kinema.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.synth.IndexCodedVideo;
import dev.kinema.video.FrameSize;
import dev.kinema.video.VideoFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipLoaderTest {
    private static final int CLIP_LEN = 4;
    private static final int STRIDE = 2;

    @TempDir
    static Path root;

    static List<VideoSample> train;

    @BeforeAll
    static void writeDataset() throws IOException {
        // 3 classes × 3 videos of different lengths, plus one file that is not a video.
        String[] classes = {"left", "right", "still"};
        int n = 0;
        for (String c : classes) {
            Path dir = Files.createDirectories(root.resolve("train").resolve(c));
            for (int v = 0; v < 3; v++) {
                IndexCodedVideo.write(dir.resolve(c + v + ".mp4"), 12 + 5 * n++, 64, 48, 10);
            }
        }
        Files.writeString(root.resolve("train/still/broken.mp4"), "not a video");
        VideoDataset dataset = DatasetFormats.open(root);
        train = dataset.samples("train");
        assertEquals(10, train.size());
    }

    private static ClipSampler sampler() {
        return ClipSamplers.builder().mode("random").clipLen(CLIP_LEN).frameStride(STRIDE).build();
    }

    private static ClipLoader.Builder loader(int workers) {
        return ClipLoader.builder().setSamples(train).setSampler(sampler())
                .optDecodeSize(FrameSize.exact(32, 32)).optTransform(Crop.center(24))
                .optToTensor(new ToTensor(Normalization.NONE, Layout.CTHW))
                .optBatchSize(4).optWorkers(workers).optSeed(5);
    }

    private static List<ClipBatch> run(ClipLoader loader, int epoch) {
        List<ClipBatch> out = new ArrayList<>();
        try (ClipLoader.Epoch e = loader.epoch(epoch)) {
            e.forEach(out::add);
        }
        return out;
    }

    @Test
    void batchesAreCollatedClipsAndBadVideosAreSkippedAndReported() {
        try (ClipLoader loader = loader(2).build(); NDManager manager = NDManager.newBaseManager()) {
            List<ClipBatch> batches = run(loader, 0);
            assertEquals(3, batches.size());
            assertEquals(9, batches.stream().mapToInt(ClipBatch::size).sum(), "every good video, once");
            try (NDArray x = batches.get(0).data(manager)) {
                assertEquals(new Shape(batches.get(0).size(), 3, CLIP_LEN, 24, 24), x.getShape());
            }
            assertEquals(1, loader.failures().size());
            assertTrue(loader.failures().get(0).path().endsWith("broken.mp4"));
            assertTrue(loader.failures().get(0).reason().contains("not a media file"), loader.failures().toString());
            for (ClipBatch b : batches) {
                for (int i = 0; i < b.size(); i++) {
                    assertEquals(b.samples().get(i).label(), b.labels()[i]);
                }
            }
        }
    }

    @Test
    void clipsAreTheFramesTheSamplerChose() {
        try (ClipLoader loader = loader(1).optTransform(null).optShuffle(false).optBatchSize(1).build()) {
            for (ClipBatch batch : run(loader, 3)) {
                VideoSample sample = batch.samples().get(0);
                // Rebuild the frames from the values (no normalisation, C×T×H×W) and read their codes.
                byte[] rgb = new byte[CLIP_LEN * 32 * 32 * 3];
                float[] v = batch.values();
                int plane = 32 * 32;
                for (int t = 0; t < CLIP_LEN; t++) {
                    for (int p = 0; p < plane; p++) {
                        for (int c = 0; c < 3; c++) {
                            rgb[(t * plane + p) * 3 + c] = (byte) Math.round(v[(c * CLIP_LEN + t) * plane + p] * 255);
                        }
                    }
                }
                int[] shown = IndexCodedVideo.decodeAll(new VideoFrames(rgb, CLIP_LEN, 32, 32));
                int videoIndex = train.indexOf(sample);
                int frames = (int) dev.kinema.video.VideoProbe.probe(sample.path()).frames();
                int[] expected = sampler().sample(new dev.kinema.data.sampling.VideoTimeline(frames, 10),
                        ClipSamplers.rng(5, 3, videoIndex)).get(0).frameIndices();
                assertArrayEquals(expected, shown, sample.path().toString());
            }
        }
    }

    @Test
    void anEpochIsTheSameWhateverTheNumberOfWorkers() {
        try (ClipLoader one = loader(1).build(); ClipLoader three = loader(3).build()) {
            List<ClipBatch> a = run(one, 1);
            List<ClipBatch> b = run(three, 1);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i).values(), b.get(i).values(), 0f, "batch " + i);
                assertArrayEquals(a.get(i).labels(), b.get(i).labels());
            }
            List<ClipBatch> next = run(one, 2);
            assertFalse(java.util.Arrays.equals(a.get(0).values(), next.get(0).values()), "a new epoch reshuffles");
        }
    }

    @Test
    void decodingABatchsVideosConcurrentlyGivesTheSameTensorsAsOneAfterAnother() {
        // Random crops and flips, so every video's own generator matters; the broken file fails in both.
        ClipLoader.Builder sequential = loader(1).optTransform(dev.kinema.data.transforms.Compose.of(
                Crop.random(24), dev.kinema.data.transforms.Flip.horizontal(0.5)));
        ClipLoader.Builder concurrent = loader(2).optTransform(dev.kinema.data.transforms.Compose.of(
                Crop.random(24), dev.kinema.data.transforms.Flip.horizontal(0.5)));
        try (ClipLoader one = sequential.optConcurrentClips(1).optDecoderThreads(1).build();
                ClipLoader many = concurrent.optConcurrentClips(3).optDecoderThreads(2).build()) {
            assertEquals(1, one.concurrentClips());
            assertEquals(3, many.concurrentClips());
            assertEquals(2, many.decoderThreads());
            for (int epoch = 0; epoch < 2; epoch++) {
                List<ClipBatch> a = run(one, epoch);
                List<ClipBatch> b = run(many, epoch);
                assertEquals(a.size(), b.size());
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i).values(), b.get(i).values(), 0f, "epoch " + epoch + " batch " + i);
                    assertArrayEquals(a.get(i).labels(), b.get(i).labels());
                    assertEquals(a.get(i).samples(), b.get(i).samples());
                }
            }
            assertEquals(2, one.failures().size());
            assertEquals(2, many.failures().size(), "the broken video is reported once per epoch");
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("kinema-loader") && t.isAlive()), "leaked clip threads");
    }

    @Test
    void prefetchIsBoundedAndClosingStopsTheWorkers() throws InterruptedException {
        try (ClipLoader loader = loader(2).optBatchSize(1).optPrefetch(1).build()) {
            ClipLoader.Epoch epoch = loader.epoch(0);
            Thread.sleep(1500); // workers fill their queues and must then wait
            assertTrue(epoch.buffered() <= 2, "buffered " + epoch.buffered());
            assertTrue(epoch.iterator().hasNext());
            epoch.close();
            assertTrue(epoch.stopped(), "worker threads still alive after close");
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("kinema-loader") && t.isAlive()), "leaked loader threads");
    }
}

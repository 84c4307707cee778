package dev.kinema.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.sampling.VideoTimeline;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.flow.FlowFields;
import dev.kinema.flow.FlowSource;
import dev.kinema.synth.IndexCodedVideo;
import dev.kinema.video.FrameSize;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoProbe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loader's flow modality against a flow source whose every value is known: which fields a clip
 * gets, how they are laid out and normalised, cropped, flipped and resampled, and how frames and
 * flow line up in two-stream clips.
 */
class FlowLoaderTest {
    private static final int L = 4;
    private static final int PX = 32;
    private static final long SEED = 11;
    private static final FlowNormalization EXACT = new FlowNormalization(20f, false);

    @TempDir
    static Path root;

    static List<VideoSample> videos;

    @BeforeAll
    static void writeVideos() throws IOException {
        Path dir = Files.createDirectories(root.resolve("train/a"));
        for (int v = 0; v < 3; v++) {
            IndexCodedVideo.write(dir.resolve("v" + v + ".mp4"), 12 + 4 * v, PX, PX, 10);
        }
        videos = DatasetFormats.open(root).samples("train");
    }

    /** dx of field k at (y, x), in pixels. */
    static float dx(int k, int y, int x) {
        return k * 0.5f + x * 0.01f - y * 0.02f;
    }

    /** dy of field k at (y, x), in pixels. */
    static float dy(int k, int y, int x) {
        return -k * 0.25f + y * 0.03f;
    }

    /** Step-1 flow at the decode size with the values above, one field per pair of frames. */
    static final FlowSource KNOWN = video -> {
        int fields = (int) VideoProbe.probe(video).frames() - 1;
        float[] data = new float[fields * 2 * PX * PX];
        for (int k = 0; k < fields; k++) {
            for (int y = 0; y < PX; y++) {
                for (int x = 0; x < PX; x++) {
                    data[((k * 2) * PX + y) * PX + x] = dx(k, y, x);
                    data[((k * 2 + 1) * PX + y) * PX + x] = dy(k, y, x);
                }
            }
        }
        return new FlowFields(data, fields, 1, PX, PX);
    };

    private static ClipSampler sampler() {
        return ClipSamplers.builder().mode("random").clipLen(L + 1).frameStride(1).build();
    }

    private static ClipLoader.Builder loader(Modality modality, FlowSource flow) {
        return ClipLoader.builder().setSamples(videos).setSampler(sampler()).optDecodeSize(FrameSize.exact(PX, PX))
                .optToTensor(new ToTensor(Normalization.NONE, Layout.CTHW)).optModality(modality).optFlow(flow, L)
                .optFlowNormalization(EXACT).optBatchSize(1).optShuffle(false).optWorkers(1).optSeed(SEED);
    }

    private static List<ClipBatch> epoch(ClipLoader loader, int e) {
        List<ClipBatch> out = new ArrayList<>();
        try (ClipLoader.Epoch epoch = loader.epoch(e)) {
            epoch.forEach(out::add);
        }
        return out;
    }

    /** The first field of the stack of video {@code v} in epoch {@code e}, as the sampler draws it. */
    private static int firstField(int v, int e) {
        int frames = (int) VideoProbe.probe(videos.get(v).path()).frames();
        int start = sampler().sample(new VideoTimeline(frames, 10), ClipSamplers.rng(SEED, e, v)).get(0).frameAt(0);
        return Math.min(start, frames - 1 - L);
    }

    @Test
    void flowClipsAreTheSourcesFieldsAtTheSampledPosition() {
        try (ClipLoader loader = loader(Modality.FLOW, KNOWN).build()) {
            List<ClipBatch> batches = epoch(loader, 2);
            assertEquals(3, batches.size());
            for (int v = 0; v < 3; v++) {
                ClipBatch b = batches.get(v);
                assertEquals(new Shape(1, 2, L, PX, PX), b.shape());
                int k0 = firstField(v, 2);
                float[] x = b.values();
                for (int t = 0; t < L; t++) {
                    for (int y = 0; y < PX; y += 5) {
                        for (int c = 0; c < PX; c += 3) {
                            assertEquals(dx(k0 + t, y, c) / 20, x[(t * PX + y) * PX + c], 1e-6, "dx t=" + t);
                            assertEquals(dy(k0 + t, y, c) / 20, x[((L + t) * PX + y) * PX + c], 1e-6, "dy t=" + t);
                        }
                    }
                }
            }
        }
    }

    @Test
    void twoStreamClipsPairEachFrameWithTheFieldStartingThere() {
        try (ClipLoader loader = loader(Modality.RGB_FLOW, KNOWN).build()) {
            List<ClipBatch> batches = epoch(loader, 0);
            for (int v = 0; v < 3; v++) {
                ClipBatch b = batches.get(v);
                assertEquals(new Shape(1, 5, L, PX, PX), b.shape());
                int k0 = firstField(v, 0);
                float[] x = b.values();
                byte[] rgb = new byte[L * PX * PX * 3];
                int plane = PX * PX;
                for (int t = 0; t < L; t++) {
                    for (int p = 0; p < plane; p++) {
                        for (int c = 0; c < 3; c++) {
                            rgb[(t * plane + p) * 3 + c] = (byte) Math.round(x[(c * L + t) * plane + p] * 255);
                        }
                    }
                }
                int[] expected = new int[L];
                for (int t = 0; t < L; t++) {
                    expected[t] = k0 + t;
                }
                assertArrayEquals(expected, IndexCodedVideo.decodeAll(new VideoFrames(rgb, L, PX, PX)));
                assertEquals(dx(k0 + 1, 7, 9) / 20, x[((3 * L + 1) * PX + 7) * PX + 9], 1e-6);
                assertEquals(dy(k0 + 2, 7, 9) / 20, x[((4 * L + 2) * PX + 7) * PX + 9], 1e-6);
            }
        }
    }

    @Test
    void aFlipMirrorsEveryPlaneAndNegatesDx() {
        try (ClipLoader plain = loader(Modality.RGB_FLOW, KNOWN).build();
                ClipLoader flipped = loader(Modality.RGB_FLOW, KNOWN)
                        .optSpatialAugment(new SpatialAugment(0, false, 1)).build()) {
            float[] a = epoch(plain, 1).get(0).values();
            float[] b = epoch(flipped, 1).get(0).values();
            for (int c = 0; c < 5; c++) {
                float sign = c == 3 ? -1 : 1;
                for (int t = 0; t < L; t++) {
                    for (int y = 0; y < PX; y++) {
                        for (int x = 0; x < PX; x++) {
                            int at = ((c * L + t) * PX + y) * PX;
                            assertEquals(sign * a[at + PX - 1 - x], b[at + x], 0f, "c=" + c + " x=" + x);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aCropCutsTheSameWindowFromFramesAndFlow() {
        try (ClipLoader loader = loader(Modality.RGB_FLOW, KNOWN).optSpatialAugment(SpatialAugment.center(16)).build();
                ClipLoader whole = loader(Modality.RGB_FLOW, KNOWN).build()) {
            ClipBatch b = epoch(loader, 0).get(1);
            float[] full = epoch(whole, 0).get(1).values();
            assertEquals(new Shape(1, 5, L, 16, 16), b.shape());
            for (int c = 0; c < 5; c++) {
                for (int t = 0; t < L; t++) {
                    for (int y = 0; y < 16; y++) {
                        for (int x = 0; x < 16; x++) {
                            assertEquals(full[((c * L + t) * PX + y + 8) * PX + x + 8],
                                    b.values()[((c * L + t) * 16 + y) * 16 + x], 0f);
                        }
                    }
                }
            }
        }
    }

    @Test
    void flowAtAnotherResolutionIsResampledAndItsVectorsScaled() {
        FlowSource coarse = video -> {
            int fields = (int) VideoProbe.probe(video).frames() - 1;
            float[] data = new float[fields * 2 * 16 * 16];
            for (int k = 0; k < fields; k++) {
                java.util.Arrays.fill(data, k * 512, k * 512 + 256, 1f);
                java.util.Arrays.fill(data, k * 512 + 256, k * 512 + 512, -0.5f);
            }
            return new FlowFields(data, fields, 1, 16, 16);
        };
        try (ClipLoader loader = loader(Modality.FLOW, coarse).build()) {
            float[] x = epoch(loader, 0).get(0).values();
            int plane = PX * PX;
            for (int p = 0; p < L * plane; p += 17) {
                assertEquals(2f / 20, x[p], 1e-6);
                assertEquals(-1f / 20, x[L * plane + p], 1e-6);
            }
        }
        try (ClipLoader loader = loader(Modality.FLOW, coarse).optFlowNormalization(FlowNormalization.DEFAULT).build()) {
            for (float v : epoch(loader, 0).get(0).values()) {
                assertEquals(0f, v, 1e-6, "a uniform field is all camera motion: the mean subtraction removes it");
            }
        }
    }

    @Test
    void aStaleFlowCacheStopsTheEpochInsteadOfSkippingVideos() {
        FlowSource stale = video -> {
            throw new dev.kinema.flow.StaleFlowException(video + ": its cached flow was computed from another video");
        };
        try (ClipLoader loader = loader(Modality.FLOW, stale).build()) {
            java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> epoch(loader, 0));
            assertTrue(e.getMessage().contains("computed from another video"), e.getMessage());
            assertTrue(loader.failures().isEmpty(), "not recorded as a skipped video");
        }
    }

    @Test
    void videosTooShortForAStackAreSkippedWithTheReason() {
        try (ClipLoader loader = loader(Modality.FLOW, KNOWN).optFlow(KNOWN, 14).build()) {
            List<ClipBatch> batches = epoch(loader, 0);
            assertEquals(2, batches.size(), "the 12-frame video has only 11 fields");
            assertEquals(1, loader.failures().size());
            assertTrue(loader.failures().get(0).reason().contains("flow fields"), loader.failures().toString());
        }
    }

    @Test
    void flowClipsNeedAFlowSourceAndNoClipTransform() {
        assertThrows(IllegalStateException.class,
                () -> ClipLoader.builder().setSamples(videos).setSampler(sampler()).optModality(Modality.FLOW).build());
        assertThrows(IllegalStateException.class, () -> loader(Modality.FLOW, KNOWN)
                .optTransform(dev.kinema.data.transforms.Crop.center(16)).build());
    }
}

package dev.kinema.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.testing.TrainingVideos;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feature cache ({@code kinema features}) and training a recurrent head on it ({@code kinema train --features}). */
class FeatureTrainerTest {
    private static final int D = 128;   // the small backbone's channels: lrcn's LSTM input
    private static final int T = 6;

    @Test
    void theCacheHoldsEveryVideosPerFrameFeatures(@TempDir Path tmp) throws Exception {
        Path data = TrainingVideos.movingSquares(tmp.resolve("data"), 3, 2, 1, 1);
        VideoModel model = ModelRegistry.create("single-frame", ModelConfig.of(2, 4, 32).toBuilder().optBackbone("small").build());
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            model.initialize(manager);
            FeatureCache.Index index = FeatureCache.write(tmp.resolve("feats"), model, new ModelInput(4, 3, null, 32, 36),
                    DatasetFormats.open(data), null, 1, done -> {});
            assertEquals(D, index.channels());
            assertEquals(4, index.frames());
            assertEquals(List.of("left", "right"), index.labels());
            assertEquals(Map.of("train", 4, "val", 2, "test", 2), Map.of("train", index.splits().get("train").size(),
                    "val", index.splits().get("val").size(), "test", index.splits().get("test").size()));
            FeatureCache.Index read = FeatureCache.read(tmp.resolve("feats"));
            assertEquals(index, read);
            FloatTensor first = FeatureCache.read(tmp.resolve("feats"), read.splits().get("train").get(0));
            FloatTensor second = FeatureCache.read(tmp.resolve("feats"), read.splits().get("train").get(1));
            assertEquals(List.of((long) D, 4L), List.of(first.shape()[0], first.shape()[1]));
            assertFalse(Arrays.equals(first.data(), second.data()), "two videos, two sets of features");

            FeatureCache.Entry entry = read.splits().get("train").get(0);
            Path file = tmp.resolve("feats").resolve(entry.file());
            byte[] bytes = java.nio.file.Files.readAllBytes(file);
            bytes[bytes.length - 3] ^= 0x01;
            java.nio.file.Files.write(file, bytes);
            java.io.IOException damaged = org.junit.jupiter.api.Assertions.assertThrows(
                    dev.kinema.io.DamagedFileException.class, () -> FeatureCache.read(tmp.resolve("feats"), entry));
            assertTrue(damaged.getMessage().startsWith(file + ": damaged"), damaged.getMessage());
        }
    }

    /**
     * Cached features whose class is only the order of two patterns in time (p then q, or q then
     * p), as the order classes: the LSTM head learns it from the cache alone.
     */
    @Test
    void anLstmHeadLearnsOrderFromCachedFeaturesAlone(@TempDir Path tmp) throws Exception {
        Path cache = tmp.resolve("feats");
        SplittableRandom rng = new SplittableRandom(5);
        float[] p = pattern(rng);
        float[] q = pattern(rng);
        Map<String, List<FeatureCache.Entry>> splits = new LinkedHashMap<>();
        int[] sizes = {32, 8, 16};
        String[] names = {"train", "val", "test"};
        for (int s = 0; s < names.length; s++) {
            List<FeatureCache.Entry> entries = new ArrayList<>();
            Files.createDirectories(cache.resolve(names[s]));
            for (int i = 0; i < sizes[s]; i++) {
                int label = i % 2;
                float[] x = new float[D * T];
                for (int d = 0; d < D; d++) {
                    for (int t = 0; t < T; t++) {
                        float[] shown = t < T / 2 == (label == 0) ? p : q;
                        x[d * T + t] = shown[d] + (float) rng.nextGaussian() * 0.3f;
                    }
                }
                String file = names[s] + "/" + i + ".npy";
                Npy.write(cache.resolve(file), new FloatTensor(new long[] {D, T}, x));
                entries.add(new FeatureCache.Entry(file, label, "video " + i));
            }
            splits.put(names[s], entries);
        }
        FeatureCache.Index index = new FeatureCache.Index("single-frame", "small", null, T, null, 2.0, 32, 36, D,
                List.of("p_then_q", "q_then_p"), splits);
        AtomicFiles.write(cache.resolve(FeatureCache.INDEX), o -> RunDir.JSON.writeValue(o, index));

        FeatureTrainer.Settings settings = new FeatureTrainer.Settings("lrcn", cache.toString(), 6, 8, "adamw", 3e-3, 0.05,
                1, 0);
        List<FeatureTrainer.Epoch> seen = new ArrayList<>();
        FeatureTrainer.Result r = FeatureTrainer.train(settings, tmp.resolve("run"), seen::add);
        assertEquals(6, seen.size());
        assertTrue(r.testTop1() >= 0.9, "test top-1 " + r.testTop1() + ", epochs " + r.epochs());
        assertTrue(seen.get(5).trainLoss() < seen.get(0).trainLoss());
        assertTrue(Files.size(tmp.resolve("run").resolve(FeatureTrainer.HEAD)) > 4L * (4 * 256 * (D + 256)));
        assertTrue(Files.exists(tmp.resolve("run").resolve(FeatureTrainer.RECORD)));

        // A head for other features is refused, naming both widths.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeatureTrainer.train(
                new FeatureTrainer.Settings("conv-gru", cache.toString(), 1, 8, "adamw", 1e-3, 0, 0, 0), tmp.resolve("bad"),
                x -> {}));
        assertTrue(e.getMessage().contains("has " + D), e.getMessage());
    }

    private static float[] pattern(SplittableRandom rng) {
        float[] v = new float[D];
        for (int i = 0; i < D; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}

package dev.kinema.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Crop;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.DamagedFileException;
import dev.kinema.io.FloatTensor;
import dev.kinema.io.Npy;
import dev.kinema.models.VideoModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Per-frame CNN features of every video of a dataset, cached on disk so a recurrent head can be
 * trained on them without decoding a video or running the CNN again (the lecture's memory-saving
 * recipe for CNN + LSTM: freeze the CNN, cache its features, train the LSTM).
 *
 * <p>One clip per video, as the long-term models see it (uniform sampling, one clip: with a clip as
 * long as the video, the whole video), centre-cropped, through the model's {@code forwardFeatures}
 * (its per-frame CNN), averaged over space: a D×T array per video, {@code SPLIT/NNNNN.npy}, and an
 * index {@code features.json} naming the model, the input, the classes and every video.
 */
public final class FeatureCache {
    /** The index file in a cache folder. */
    public static final String INDEX = "features.json";

    private FeatureCache() {}

    /** One cached video: its features file (relative to the cache), label and source. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    /**
     * One cached video.
     *
     * @param crc32c CRC-32C of the entry's file, checked when it is read (0 in caches written before
     *     it was recorded: not checked)
     */
    public record Entry(String file, int label, String video, long crc32c) {
        public Entry(String file, int label, String video) {
            this(file, label, video, 0);
        }
    }

    /**
     * What a cache holds: the model whose features these are (and its backbone, and the run it was
     * trained in, or null for an untrained one), the clip input, the feature width D, the frames T,
     * the classes, and the videos of each split.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Index(String model, String backbone, String sourceRun, int frames, Integer stride, Double fps,
            int size, int resize, long channels, List<String> labels, Map<String, List<Entry>> splits) {
        /** The clips the features were computed from. */
        public ModelInput input() {
            return new ModelInput(frames, stride, fps, size, resize);
        }
    }

    /**
     * Writes the features of every split of {@code dataset} to {@code out}.
     *
     * @param progress called with the number of videos done
     * @return the index written
     */
    public static Index write(Path out, VideoModel model, ModelInput input, VideoDataset dataset, String sourceRun,
            int workers, IntConsumer progress) throws IOException {
        Files.createDirectories(out);
        Map<String, List<Entry>> splits = new LinkedHashMap<>();
        long channels = -1;
        int done = 0;
        ParameterStore store;
        try (NDManager manager = NDManager.newBaseManager()) {
            store = new ParameterStore(manager, false);
            for (String split : dataset.splits()) {
                List<VideoSample> samples = dataset.samples(split);
                List<Entry> entries = new ArrayList<>();
                Files.createDirectories(out.resolve(split));
                try (ClipLoader loader = input.configure(ClipLoader.builder(), null).setSamples(samples)
                        .setSampler(input.sampler().mode("uniform").test(true).clips(1).build())
                        .optBatchSize(1).optShuffle(false).optWorkers(workers).optSeed(0).build();
                        ClipLoader.Epoch epoch = loader.epoch(0)) {
                    for (ClipBatch batch : epoch) {
                        try (NDManager step = manager.newSubManager()) {
                            FloatTensor features = features(model, store, centreCrop(batch.data(step), input.size()));
                            channels = features.shape()[0];
                            String file = split + "/" + String.format("%05d.npy", entries.size());
                            Npy.write(out.resolve(file), features);
                            VideoSample sample = batch.samples().get(0);
                            entries.add(new Entry(file, sample.label(), sample.origin(), crc32c(out.resolve(file))));
                        }
                        progress.accept(++done);
                    }
                }
                splits.put(split, entries);
            }
        }
        if (channels < 0) {
            throw new IOException(dataset.root() + ": no video could be read, nothing to cache");
        }
        Index index = new Index(model.name(), model.config().backbone().orElse(null), sourceRun, input.frames(),
                input.frameStride(), input.targetFps(), input.size(), input.resize(), channels, dataset.labels(), splits);
        AtomicFiles.write(out.resolve(INDEX), o -> RunDir.JSON.writerWithDefaultPrettyPrinter().writeValue(o, index));
        return index;
    }

    /** One clip's per-frame features, D×T: the model's features averaged over space. */
    static FloatTensor features(VideoModel model, ParameterStore store, NDArray clip) {
        NDArray maps = model.forwardFeatures(store, new NDList(clip), false).singletonOrThrow();
        if (maps.getShape().dimension() != 5) {
            throw new IllegalArgumentException(model.name() + "'s features are not per-frame maps N×D×T×H×W: "
                    + maps.getShape());
        }
        NDArray pooled = maps.mean(new int[] {3}).mean(new int[] {3}).get(0);
        return new FloatTensor(pooled.getShape().getShape(), pooled.toFloatArray());
    }

    private static NDArray centreCrop(NDArray clip, int size) {
        int h = Math.toIntExact(clip.getShape().get(3));
        int w = Math.toIntExact(clip.getShape().get(4));
        int y = Crop.centerOffset(h, size);
        int x = Crop.centerOffset(w, size);
        return clip.get(":, :, :, {}:{}, {}:{}", y, y + size, x, x + size);
    }

    /** The index of the cache in {@code dir}. */
    public static Index read(Path dir) throws IOException {
        Path file = dir.resolve(INDEX);
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + ": not a feature cache (no " + INDEX + "; write one with kinema features)");
        }
        return RunDir.JSON.readValue(file.toFile(), Index.class);
    }

    /** The D×T features of one cached video. */
    public static FloatTensor read(Path dir, Entry entry) throws IOException {
        Path file = dir.resolve(entry.file());
        if (entry.crc32c() != 0 && crc32c(file) != entry.crc32c()) {
            throw new DamagedFileException(file + ": damaged: its content does not match the checksum in " + INDEX
                    + "; rerun kinema features");
        }
        return Npy.read(file);
    }

    private static long crc32c(Path file) throws IOException {
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(Files.readAllBytes(file));
        // 0 means "not recorded"; a real CRC of 0 is mapped to 1 (one value in 2^32 loses nothing).
        return crc.getValue() == 0 ? 1 : crc.getValue();
    }
}

package dev.kinema.recipes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.data.datasets.DatasetFormat;
import dev.kinema.data.datasets.DatasetReport;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.io.AtomicFiles;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.videomae.TubeMask;
import dev.kinema.models.videomae.VideoMaePretraining;
import dev.kinema.models.videomae.VideoMaeSpec;
import dev.kinema.models.videomae.VideoMaes;
import dev.kinema.tasks.MaskedVideoTask;
import dev.kinema.tasks.TrainingTasks;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.kinema.train.Checkpoint;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.RunDir;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import dev.kinema.train.TrainingListener;
import dev.kinema.video.VideoFiles;
import dev.kinema.weights.DType;
import dev.kinema.weights.ModelWeights;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Masked-video pretraining (VideoMAE) on any folder of videos, labels ignored: every video under
 * the folder (recursively) is a training video but for a few kept to validate on (the
 * reconstruction loss and pictures); the training loop is {@link Trainer}'s with the
 * {@link MaskedVideoTask}, so checkpoints, exact resume, progress and {@code report.html} are a
 * training run's. When done, the encoder's weights are written to {@code RUN/encoder.safetensors}
 * under the reference names ({@code patch_embed.*}, {@code blocks.*}, {@code norm.*}), which
 * {@code kinema train --init} loads; the mask ratio is kept in {@code RUN/pretraining.json} and a
 * resume must give the same.
 *
 * <pre>{@code
 * Pretrain.Pretrained p = Pretrain.builder().setData(Path.of("videos")).setModel("videomae-small")
 *         .setRunDirectory(Path.of("runs/mae")).optEpochs(10).build().run();
 * }</pre>
 */
public final class Pretrain {
    /** The encoder's weights in a finished run. */
    public static final String ENCODER_FILE = "encoder.safetensors";
    /** The pretraining settings not in {@code config.json}. */
    public static final String SETTINGS_FILE = "pretraining.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder b;

    private Pretrain(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What a pretraining run left: its history and the encoder's weights. */
    public record Pretrained(Path run, List<EpochMetrics> history, Path encoder, int trainVideos, int valVideos) {}

    /**
     * Trains (or resumes) and writes the encoder.
     *
     * @throws IllegalArgumentException for a folder without videos, a model that is not a VideoMAE,
     *     or a resume with another mask ratio
     */
    public Pretrained run() throws IOException {
        VideoMaeSpec spec = VideoMaes.spec(b.model);
        ModelConfig defaults = ModelRegistry.info(b.model).defaults();
        int frames = b.frames > 0 ? b.frames : defaults.frames();
        int size = b.size > 0 ? b.size : defaults.size();
        VideoDataset videos = unlabelled(b.data, b.valVideos);
        if (!b.resume) {
            RunDir.checkFree(b.run);
        }
        checkSettings();
        TrainingTasks.register(MaskedVideoTask.definition(b.maskRatio, spec.tubelet(), spec.patch(), b.target));
        TrainConfig.Builder settings = TrainConfig.builder().setData(b.data).setModel(b.model)
                .optTask(MaskedVideoTask.NAME).optFrames(frames).optSize(size).optEpochs(b.epochs).optBatch(b.batch)
                .optOptimizer("adamw").optLr(b.lr).optWeightDecay(0.05).optWarmupEpochs(b.warmupEpochs).optValClips(1)
                .optSeed(b.seed).optWorkers(b.workers);
        if (b.stride > 0) {
            settings.optStride(b.stride);
        }
        TrainConfig config = settings.build();
        ModelFactory factory = (name, outputs, t, s) -> VideoMaes.pretraining(name, 3, b.maskRatio);
        writeSettings();
        List<EpochMetrics> history = Trainer.builder().setConfig(config).setModelFactory(factory)
                .setRunDirectory(b.run).optResume(b.resume).optDataset(videos).optListener(b.listener).build().fit();
        Path encoder = exportEncoder(config);
        return new Pretrained(b.run, history, encoder, videos.samples("train").size(),
                videos.findSplit("val").map(v -> videos.samples(v).size()).orElse(0));
    }

    /** The encoder of the run's last checkpoint, to {@link #ENCODER_FILE}. */
    private Path exportEncoder(TrainConfig config) throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager)) {
            VideoMaePretraining net = VideoMaes.pretraining(b.model, 3, b.maskRatio);
            net.initialize(manager, DataType.FLOAT32, config.input().shape(1));
            Checkpoint.load(b.run.resolve(RunDir.CHECKPOINT), net, manager, optimizer);
            return ModelWeights.save(net.encoder(), b.run.resolve(ENCODER_FILE), DType.F32);
        }
    }

    /**
     * Every video under {@code root}, sorted by path, as one unlabelled class: {@code val} of them,
     * evenly spaced, in the validation split, the rest in training.
     */
    static VideoDataset unlabelled(Path root, int val) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException(root + ": not a folder of videos");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(p -> VideoFiles.isVideoFile(p.getFileName().toString()))
                    .sorted().toList();
        }
        if (files.size() < val + 1) {
            throw new IllegalArgumentException(root + ": " + files.size() + " videos; pretraining needs at least "
                    + (val + 1) + " (" + val + " kept for validation)");
        }
        List<VideoSample> train = new ArrayList<>();
        List<VideoSample> validation = new ArrayList<>();
        int step = val == 0 ? Integer.MAX_VALUE : Math.max(1, files.size() / val);
        for (int i = 0; i < files.size(); i++) {
            boolean held = val > 0 && i % step == step / 2 && validation.size() < val;
            String split = held ? "val" : "train";
            (held ? validation : train).add(VideoSample.ofFile(files.get(i), 0, "video", split));
        }
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        splits.put("train", train);
        if (!validation.isEmpty()) {
            splits.put("val", validation);
        }
        return new VideoDataset(DatasetFormat.FOLDER, root, List.of("video"), splits, DatasetReport.empty());
    }

    private void checkSettings() throws IOException {
        Path file = b.run.resolve(SETTINGS_FILE);
        if (!b.resume || !Files.isRegularFile(file)) {
            return;
        }
        JsonNode saved = JSON.readTree(file.toFile());
        double ratio = saved.path("mask_ratio").asDouble(Double.NaN);
        if (ratio != b.maskRatio) {
            throw new IllegalArgumentException(file + ": the run was pretrained with mask ratio " + ratio
                    + ", not " + b.maskRatio + "; resume with the saved one or start a new run");
        }
        String target = saved.path("target").asText(MaskedVideoTask.Target.NORMALISED.label());
        if (!target.equals(b.target.label())) {
            throw new IllegalArgumentException(file + ": the run was pretrained to predict " + target
                    + " pixels, not " + b.target.label() + "; resume with the saved target or start a new run");
        }
    }

    private void writeSettings() throws IOException {
        Files.createDirectories(b.run);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("model", b.model);
        settings.put("mask_ratio", b.maskRatio);
        settings.put("target", b.target.label());
        settings.put("encoder", ENCODER_FILE);
        byte[] text = (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(settings) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(b.run.resolve(SETTINGS_FILE), out -> out.write(text));
    }

    /** DJL-style builder: {@code setX} required, {@code optY} optional. */
    public static final class Builder {
        private Path data;
        private String model;
        private Path run;
        private double maskRatio = TubeMask.DEFAULT_RATIO;
        private MaskedVideoTask.Target target = MaskedVideoTask.Target.NORMALISED;
        private int frames;
        private int stride;
        private int size;
        private int epochs = 10;
        private int batch = 8;
        private double lr = 1.5e-3;
        private double warmupEpochs = 1;
        private int valVideos = 2;
        private long seed;
        private int workers = 2;
        private boolean resume;
        private TrainingListener listener = new TrainingListener() {};

        private Builder() {}

        /** Any folder of videos, searched recursively; labels and folder names are ignored. */
        public Builder setData(Path data) {
            this.data = Objects.requireNonNull(data);
            return this;
        }

        /** A VideoMAE model of the registry: {@code videomae} or {@code videomae-small}. */
        public Builder setModel(String model) {
            this.model = Objects.requireNonNull(model);
            return this;
        }

        public Builder setRunDirectory(Path run) {
            this.run = Objects.requireNonNull(run);
            return this;
        }

        /** The share of each clip's tokens hidden, in (0, 1); default 0.9 (VideoMAE's), 0.95 allowed. */
        public Builder optMaskRatio(double maskRatio) {
            TubeMask.maskedPerFrame(2, maskRatio);
            this.maskRatio = maskRatio;
            return this;
        }

        /** What the decoder predicts: normalised pixels (the paper's default) or the pixels themselves. */
        public Builder optTarget(MaskedVideoTask.Target target) {
            this.target = Objects.requireNonNull(target);
            return this;
        }

        /** Frames per clip; default the model's. */
        public Builder optFrames(int frames) {
            this.frames = frames;
            return this;
        }

        /**
         * Frames between a clip's frames; default the training default (4). Fine-tuning should sample
         * clips the same way.
         */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /** Clip height and width; default the model's. */
        public Builder optSize(int size) {
            this.size = size;
            return this;
        }

        public Builder optEpochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        public Builder optBatch(int batch) {
            this.batch = batch;
            return this;
        }

        /** AdamW's peak learning rate; default 1.5e-3 (VideoMAE's 1.5e-4 per 256 clips, scaled for small runs). */
        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder optWarmupEpochs(double warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        /** Videos kept out of training to validate on and draw; default 2. */
        public Builder optValVideos(int valVideos) {
            this.valVideos = valVideos;
            return this;
        }

        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Continue the run from its checkpoint. */
        public Builder optResume(boolean resume) {
            this.resume = resume;
            return this;
        }

        public Builder optListener(TrainingListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        public Pretrain build() {
            if (data == null || model == null || run == null) {
                throw new IllegalStateException("setData, setModel and setRunDirectory are required");
            }
            return new Pretrain(this);
        }
    }
}

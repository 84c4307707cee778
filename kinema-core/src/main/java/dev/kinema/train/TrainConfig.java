package dev.kinema.train;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.flow.FlowCache;
import dev.kinema.flow.FlowMethod;
import dev.kinema.flow.FlowSettings;
import dev.kinema.flow.FlowSource;
import dev.kinema.flow.FlowSources;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Everything that decides what a training run computes; saved as {@code RUN/config.json} (snake_case
 * keys) so evaluation and classification need only the run directory, and checked on resume.
 *
 * @param data the dataset root
 * @param annotations an annotation file or folder (any layout {@code DatasetFormats} reads), or null
 * @param trainSplit the split trained on
 * @param valSplit the split validated on each epoch (skipped when the dataset has no such split)
 * @param model the model's name for the {@link ModelFactory}
 * @param frames frames per clip
 * @param stride source frames between clip frames, or null when {@code fps} is set
 * @param fps the rate videos are resampled to, or null when {@code stride} is set
 * @param size crop side in pixels
 * @param resize short side frames are decoded to
 * @param epochs passes over the training videos
 * @param batch clips per update
 * @param optimizer {@code sgd} or {@code adamw}
 * @param lr the peak learning rate, reached after warm-up
 * @param weightDecay weight decay (L2 for SGD, decoupled for AdamW) on conv and linear weights
 * @param warmupEpochs linear warm-up length in epochs (at most half the run)
 * @param valClips uniformly spaced clips per validation video whose softmax is averaged
 * @param flip random horizontal flips in training; off when left and right are different classes
 * @param seed seeds the initialisation, the shuffling, the clips and the augmentation
 * @param workers decoding threads (does not change the results)
 * @param modality what the model takes: frames ({@code RGB}), flow stacks ({@code FLOW}) or both
 *     ({@code RGB_FLOW}); for flow input {@code frames} is the stack length L
 * @param flowDir the flow cache {@code kinema flow} wrote, or null to compute flow on the fly
 * @param flowMethod the flow algorithm ({@code tvl1}, {@code farneback}, {@code dis}) for flow
 *     computed on the fly, or null
 * @param flowSize the short side flow is computed at on the fly, or null for the decode size
 * @param regularization label smoothing, mixup/cutmix and RandAugment ({@link Regularization#NONE}
 *     when absent, as in runs written before they existed)
 * @param nonLocal stages of a 3D CNN after which a non-local block is inserted
 *     ({@code ModelConfig.nonLocal}); empty for none, as in runs written before it existed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TrainConfig(String data, String annotations, String trainSplit, String valSplit, String model, int frames,
        Integer stride, Double fps, int size, int resize, int epochs, int batch, String optimizer, double lr,
        double weightDecay, double warmupEpochs, int valClips, boolean flip, long seed, int workers, Modality modality,
        String flowDir, String flowMethod, Integer flowSize, Regularization regularization, List<String> nonLocal) {

    public TrainConfig {
        if (modality == null) {
            modality = Modality.RGB;
        }
        if (regularization == null) {
            regularization = Regularization.NONE;
        }
        nonLocal = nonLocal == null ? List.of() : List.copyOf(nonLocal);
        if (regularization.randAugmentOps() > 0 && modality.needsFlow()) {
            throw new IllegalArgumentException("RandAugment works on frames; " + modality + " input has flow");
        }
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(trainSplit, "trainSplit");
        Objects.requireNonNull(valSplit, "valSplit");
        optimizer = Objects.requireNonNull(optimizer, "optimizer").toLowerCase(Locale.ROOT);
        if (!optimizer.equals("sgd") && !optimizer.equals("adamw")) {
            throw new IllegalArgumentException("optimizer must be sgd or adamw, got " + optimizer);
        }
        if (epochs < 1 || batch < 1 || valClips < 1 || workers < 1) {
            throw new IllegalArgumentException("epochs, batch, validation clips and workers must be at least 1");
        }
        if (!(lr > 0) || !Double.isFinite(lr) || !(weightDecay >= 0) || !(warmupEpochs >= 0)) {
            throw new IllegalArgumentException("need lr > 0, weight decay >= 0 and warm-up >= 0, got lr " + lr
                    + ", weight decay " + weightDecay + ", warm-up " + warmupEpochs);
        }
        // Validates frames, stride/fps and sizes.
        new ModelInput(frames, stride, fps, size, resize);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How this run's clips are made. */
    public ModelInput input() {
        return new ModelInput(frames, stride, fps, size, resize, modality);
    }

    /**
     * Where this run's model gets optical flow, or null for a model that takes none: the flow the run
     * trained on (its cache, or its method and size computed on the fly), unless overridden. Given
     * overrides (any may be null) win as a whole: a cache alone, or a method with or without a
     * cache. A cache alone is checked against what it holds when it is read.
     *
     * @throws IllegalArgumentException when the model takes flow and neither names a source
     */
    public FlowSource flowSource(Path overrideDir, String overrideMethod, Integer overrideSize) throws IOException {
        if (!modality.needsFlow()) {
            return null;
        }
        Path dir = overrideDir;
        String method = overrideMethod;
        Integer size = overrideSize;
        if (dir == null && method == null) {
            dir = flowDir == null ? null : Path.of(flowDir);
            method = flowMethod;
            size = flowSize;
        }
        if (dir != null && method == null) {
            return FlowCache.open(dir);
        }
        if (method == null) {
            throw new IllegalArgumentException(model + " takes optical flow: give --flow-dir FLOW_DIR (a cache "
                    + "written by kinema flow) or --flow-method tvl1|farneback|dis to compute it on the fly");
        }
        return FlowSources.of(FlowSettings.of(FlowMethod.parse(method), size != null ? size : resize), dir);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.data = data;
        b.annotations = annotations;
        b.trainSplit = trainSplit;
        b.valSplit = valSplit;
        b.model = model;
        b.frames = frames;
        b.stride = stride;
        b.fps = fps;
        b.size = size;
        b.resize = resize;
        b.epochs = epochs;
        b.batch = batch;
        b.optimizer = optimizer;
        b.lr = lr;
        b.weightDecay = weightDecay;
        b.warmupEpochs = warmupEpochs;
        b.valClips = valClips;
        b.flip = flip;
        b.seed = seed;
        b.workers = workers;
        b.modality = modality;
        b.flowDir = flowDir;
        b.flowMethod = flowMethod;
        b.flowSize = flowSize;
        b.regularization = regularization;
        b.nonLocal = nonLocal;
        return b;
    }

    /**
     * DJL-style builder. Defaults: 8 frames at stride 4, 112 px crops from a 128 px short side, 10
     * epochs of batch 8, AdamW at lr 1e-3 with weight decay 0.05 (SGD: lr 0.01, momentum 0.9, weight
     * decay 1e-4), 1 warm-up epoch, 4 validation clips, flips on, seed 0, 2 workers, splits train
     * and val.
     */
    public static final class Builder {
        private String data;
        private String annotations;
        private String trainSplit = "train";
        private String valSplit = "val";
        private String model;
        private int frames = 8;
        private Integer stride;
        private Double fps;
        private int size = 112;
        private Integer resize;
        private int epochs = 10;
        private int batch = 8;
        private String optimizer = "adamw";
        private Double lr;
        private Double weightDecay;
        private double warmupEpochs = 1;
        private int valClips = 4;
        private boolean flip = true;
        private long seed;
        private int workers = 2;
        private Modality modality;
        private String flowDir;
        private String flowMethod;
        private Integer flowSize;
        private Regularization regularization = Regularization.NONE;
        private List<String> nonLocal = List.of();

        private Builder() {}

        public Builder setData(String data) {
            this.data = data;
            return this;
        }

        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        public Builder optAnnotations(String annotations) {
            this.annotations = annotations;
            return this;
        }

        public Builder optSplits(String train, String val) {
            this.trainSplit = train;
            this.valSplit = val;
            return this;
        }

        public Builder optFrames(int frames) {
            this.frames = frames;
            return this;
        }

        /** Source frames between clip frames (clears a target fps). */
        public Builder optStride(int stride) {
            this.stride = stride;
            this.fps = null;
            return this;
        }

        /** Resample every video to this rate instead of a fixed stride (clears the stride). */
        public Builder optFps(double fps) {
            this.fps = fps;
            this.stride = null;
            return this;
        }

        /** Crop side; the decode size follows (8/7 of it) unless set with {@link #optResize}. */
        public Builder optSize(int size) {
            this.size = size;
            return this;
        }

        public Builder optResize(int resize) {
            this.resize = resize;
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

        /** {@code sgd} or {@code adamw}; the learning rate and weight decay defaults follow it. */
        public Builder optOptimizer(String optimizer) {
            this.optimizer = optimizer;
            return this;
        }

        public Builder optLr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optWarmupEpochs(double warmupEpochs) {
            this.warmupEpochs = warmupEpochs;
            return this;
        }

        public Builder optValClips(int valClips) {
            this.valClips = valClips;
            return this;
        }

        public Builder optFlip(boolean flip) {
            this.flip = flip;
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

        /**
         * What the model takes; default: what the registry's model of that name takes (RGB for
         * models outside the registry).
         */
        public Builder optModality(Modality modality) {
            this.modality = modality;
            return this;
        }

        /** Read flow from this cache ({@code kinema flow}'s output). */
        public Builder optFlowDir(String flowDir) {
            this.flowDir = flowDir;
            return this;
        }

        /** Compute flow on the fly with this method at this short side (null: the decode size). */
        public Builder optFlowMethod(String flowMethod, Integer flowSize) {
            this.flowMethod = flowMethod;
            this.flowSize = flowSize;
            return this;
        }

        /** Label smoothing, mixup/cutmix and RandAugment; default {@link Regularization#NONE}. */
        public Builder optRegularization(Regularization regularization) {
            this.regularization = regularization;
            return this;
        }

        /** Non-local blocks after these stages of the model (a 3D CNN), e.g. {@code layer2, layer3}. */
        public Builder optNonLocal(List<String> stages) {
            this.nonLocal = List.copyOf(stages);
            return this;
        }

        public TrainConfig build() {
            if (data == null || model == null) {
                throw new IllegalStateException("setData and setModel are required");
            }
            boolean sgd = "sgd".equalsIgnoreCase(optimizer);
            Modality m = modality != null ? modality : ModelCards.modalityOf(model);
            // A flow stack is consecutive fields: its window advances one frame at a time.
            int defaultStride = m.needsFlow() ? 1 : 4;
            return new TrainConfig(data, annotations, trainSplit, valSplit, model, frames,
                    stride == null && fps == null ? Integer.valueOf(defaultStride) : stride, fps, size,
                    resize != null ? resize : ModelInput.defaultResize(size), epochs, batch, optimizer,
                    lr != null ? lr : sgd ? 0.01 : 1e-3, weightDecay != null ? weightDecay : sgd ? 1e-4 : 0.05,
                    warmupEpochs, valClips, flip, seed, workers, m, flowDir, flowMethod, flowSize, regularization,
                    nonLocal);
        }
    }
}

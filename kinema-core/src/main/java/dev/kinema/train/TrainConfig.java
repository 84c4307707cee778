package dev.kinema.train;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.flow.FlowSource;
import dev.kinema.tasks.TaskDefinition;
import dev.kinema.tasks.TrainingTasks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Everything that decides what a training run computes, in parts as MMAction2's config files
 * have them; saved as {@code RUN/config.json} (snake_case keys, one object per part) so
 * evaluation and classification need only the run directory, and checked on resume. A
 * {@code config.json} of the flat layout Kinema wrote before the parts existed reads as the same
 * run (a classification task, momentum 0.9).
 *
 * @param task what the run learns, a name of {@link TrainingTasks} ({@code classification})
 * @param model the model's name for the {@link ModelFactory}
 * @param data the videos, the clips cut from them and their batches
 * @param optimizer the update rule and its hyper-parameters
 * @param schedule the epochs and the learning rate's warm-up
 * @param regularization label smoothing, mixup/cutmix and RandAugment ({@link Regularization#NONE}
 *     when absent, as in runs written before they existed)
 * @param seed seeds the initialisation, the shuffling, the clips and the augmentation
 * @param bestMetric the validation metric {@code best.ckpt} follows, or null for the task's default
 * @param nonLocal stages of a 3D CNN after which a non-local block is inserted
 *     ({@code ModelConfig.nonLocal}); empty for none, as in runs written before it existed
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonDeserialize(using = TrainConfig.Reader.class)
public record TrainConfig(String task, String model, DataConfig data, OptimizerConfig optimizer,
        ScheduleConfig schedule, Regularization regularization, long seed, String bestMetric, List<String> nonLocal) {

    public TrainConfig {
        nonLocal = nonLocal == null ? List.of() : List.copyOf(nonLocal);
        if (task == null) {
            task = TrainingTasks.DEFAULT;
        }
        TaskDefinition definition = TrainingTasks.get(task);
        if (bestMetric != null) {
            bestMetric = definition.validationMetric(bestMetric).name();
        }
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(schedule, "schedule");
        if (regularization == null) {
            regularization = Regularization.NONE;
        }
        if (regularization.randAugmentOps() > 0 && data.modality().needsFlow()) {
            throw new IllegalArgumentException("RandAugment works on frames; " + data.modality() + " input has flow");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The run's task as {@link TrainingTasks} knows it. */
    public TaskDefinition taskDefinition() {
        return TrainingTasks.get(task);
    }

    /** How this run's clips are made. */
    public ModelInput input() {
        return data.input();
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
        return data.flowSource(model, overrideDir, overrideMethod, overrideSize);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.task = task;
        b.model = model;
        b.data = data.root();
        b.annotations = data.annotations();
        b.trainSplit = data.trainSplit();
        b.valSplit = data.valSplit();
        b.frames = data.frames();
        b.stride = data.stride();
        b.fps = data.fps();
        b.size = data.size();
        b.resize = data.resize();
        b.flip = data.flip();
        b.batch = data.batch();
        b.valClips = data.valClips();
        b.workers = data.workers();
        b.modality = data.modality();
        b.flowDir = data.flowDir();
        b.flowMethod = data.flowMethod();
        b.flowSize = data.flowSize();
        b.optimizer = optimizer.name();
        b.lr = optimizer.lr();
        b.momentum = optimizer.momentum();
        b.weightDecay = optimizer.weightDecay();
        b.layerDecay = optimizer.layerDecay();
        b.clipGradNorm = optimizer.clipGradNorm();
        b.epochs = schedule.epochs();
        b.warmupEpochs = schedule.warmupEpochs();
        b.regularization = regularization;
        b.seed = seed;
        b.bestMetric = bestMetric;
        b.nonLocal = nonLocal;
        return b;
    }

    /**
     * DJL-style builder over all the parts. Defaults: the classification task, 8 frames at stride 4,
     * 112 px crops from a 128 px short side, batch 8, 4 validation clips, flips on, 2 workers,
     * splits train and val; AdamW at lr 1e-3 with weight decay 0.05 (SGD: lr 0.01, weight decay
     * 1e-4), momentum 0.9; 10 epochs with 1 warm-up epoch; seed 0; best checkpoint by the task's
     * default metric.
     */
    public static final class Builder {
        private String task;
        private String model;
        private Path data;
        private Path annotations;
        private String trainSplit = "train";
        private String valSplit = "val";
        private int frames = 8;
        private Integer stride;
        private Double fps;
        private int size = 112;
        private Integer resize;
        private boolean flip = true;
        private int batch = 8;
        private int valClips = 4;
        private int workers = 2;
        private Modality modality;
        private Path flowDir;
        private String flowMethod;
        private Integer flowSize;
        private String optimizer = "adamw";
        private Double lr;
        private double momentum = OptimizerConfig.DEFAULT_MOMENTUM;
        private Double weightDecay;
        private Double layerDecay;
        private Double clipGradNorm;
        private int epochs = 10;
        private double warmupEpochs = 1;
        private Regularization regularization = Regularization.NONE;
        private long seed;
        private String bestMetric;
        private List<String> nonLocal = List.of();

        private Builder() {}

        public Builder setData(Path data) {
            this.data = data;
            return this;
        }

        public Builder setData(String data) {
            return setData(Path.of(data));
        }

        public Builder setModel(String model) {
            this.model = model;
            return this;
        }

        /** What the run learns, a name of {@link TrainingTasks}; default {@code classification}. */
        public Builder optTask(String task) {
            this.task = task;
            return this;
        }

        public Builder optAnnotations(Path annotations) {
            this.annotations = annotations;
            return this;
        }

        public Builder optAnnotations(String annotations) {
            return optAnnotations(annotations == null ? null : Path.of(annotations));
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

        /** SGD's momentum and AdamW's β1; default 0.9. */
        /** Layer-wise learning-rate decay ({@link LayerDecay}); null (the default) for none. */
        public Builder optLayerDecay(Double layerDecay) {
            this.layerDecay = layerDecay;
            return this;
        }

        /**
         * Clip the gradients to this global L2 norm before each update ({@link GradientClipping});
         * null (the default) for none.
         */
        public Builder optClipGradNorm(Double clipGradNorm) {
            this.clipGradNorm = clipGradNorm;
            return this;
        }

        public Builder optMomentum(double momentum) {
            this.momentum = momentum;
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
        public Builder optFlowDir(Path flowDir) {
            this.flowDir = flowDir;
            return this;
        }

        public Builder optFlowDir(String flowDir) {
            return optFlowDir(flowDir == null ? null : Path.of(flowDir));
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

        /**
         * The validation metric {@code best.ckpt} follows ({@code video_top1} or
         * {@code val_video_top1}); default (null) the task's own choice.
         */
        public Builder optBestMetric(String bestMetric) {
            this.bestMetric = bestMetric;
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
            Modality m = modality != null ? modality : ModelCards.modalityOf(model);
            // A flow stack is consecutive fields: its window advances one frame at a time.
            int defaultStride = m.needsFlow() ? 1 : 4;
            DataConfig dataPart = new DataConfig(data, annotations, trainSplit, valSplit, frames,
                    stride == null && fps == null ? Integer.valueOf(defaultStride) : stride, fps, size,
                    resize != null ? resize : ModelInput.defaultResize(size), flip, batch, valClips, workers, m,
                    flowDir, flowMethod, flowSize);
            OptimizerConfig defaults = OptimizerConfig.defaults(Objects.requireNonNull(optimizer, "optimizer"));
            OptimizerConfig optimizerPart = new OptimizerConfig(optimizer, lr != null ? lr : defaults.lr(), momentum,
                    weightDecay != null ? weightDecay : defaults.weightDecay(), layerDecay, clipGradNorm);
            return new TrainConfig(task, model, dataPart, optimizerPart, new ScheduleConfig(epochs, warmupEpochs),
                    regularization, seed, bestMetric, nonLocal);
        }
    }

    /**
     * Reads {@code config.json} in both layouts: the parts ({@code "data": {...}}) and the flat one
     * of runs written before them ({@code "data": "DIR"}, every setting at the top level).
     */
    static final class Reader extends JsonDeserializer<TrainConfig> {
        @Override
        public TrainConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            ObjectCodec codec = p.getCodec();
            JsonNode node = codec.readTree(p);
            if (!node.isObject() || !node.hasNonNull("model") || !node.hasNonNull("data")) {
                throw JsonMappingException.from(p, "a training configuration needs \"model\" and \"data\"");
            }
            String task = node.path("task").isTextual() ? node.get("task").asText() : null;
            String bestMetric = node.path("best_metric").isTextual() ? node.get("best_metric").asText() : null;
            List<String> nonLocal = new java.util.ArrayList<>();
            node.path("non_local").forEach(stage -> nonLocal.add(stage.asText()));
            Regularization regularization = node.hasNonNull("regularization")
                    ? codec.treeToValue(node.get("regularization"), Regularization.class) : null;
            try {
                if (node.get("data").isTextual()) {
                    return flat((ObjectNode) node, codec, task, bestMetric, regularization, nonLocal);
                }
                return new TrainConfig(task, node.get("model").asText(),
                        codec.treeToValue(node.get("data"), DataConfig.class),
                        codec.treeToValue(node.path("optimizer"), OptimizerConfig.class),
                        codec.treeToValue(node.path("schedule"), ScheduleConfig.class), regularization,
                        node.path("seed").asLong(), bestMetric, nonLocal);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw JsonMappingException.from(p, e.getMessage(), e);
            }
        }

        /** The flat layout: the data settings at the top level beside the optimiser's and the schedule's. */
        private static TrainConfig flat(ObjectNode node, ObjectCodec codec, String task, String bestMetric,
                Regularization regularization, List<String> nonLocal) throws IOException {
            ObjectNode data = node.deepCopy();
            data.set("root", node.get("data"));
            OptimizerConfig optimizer = new OptimizerConfig(node.path("optimizer").asText(), node.path("lr").asDouble(),
                    OptimizerConfig.DEFAULT_MOMENTUM, node.path("weight_decay").asDouble());
            ScheduleConfig schedule = new ScheduleConfig(node.path("epochs").asInt(),
                    node.path("warmup_epochs").asDouble());
            return new TrainConfig(task, node.get("model").asText(), codec.treeToValue(data, DataConfig.class),
                    optimizer, schedule, regularization, node.path("seed").asLong(), bestMetric, nonLocal);
        }
    }
}

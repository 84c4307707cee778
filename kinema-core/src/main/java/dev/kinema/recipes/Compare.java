package dev.kinema.recipes;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.cards.ModelCard;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.data.loader.Modality;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.flow.FlowSource;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FileTrees;
import dev.kinema.synth.ActionKind;
import dev.kinema.synth.Evidence;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.train.EpochMetrics;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.TrainConfig;
import dev.kinema.train.Trainer;
import dev.kinema.train.TrainingListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The lecture's model comparison on a dataset: each model trained with the same recipe, evaluated
 * on the test split (softmax averaged over several clips per video) and reported with its
 * parameters, multiply-adds per clip (from its run's model card) and training and inference speed;
 * on Kinema-Motion, accuracy is also split into appearance and motion-only classes, and, on a set
 * with sound classes, by which senses tell the classes apart ({@link Evidence}: visual-only,
 * sound-only, both needed, either).
 *
 * <p>Two-stream entries: {@code spatial-stream} and {@code temporal-stream} train like any model
 * (the temporal stream on stacks of {@code flowLength} flow fields); {@code two-stream-avg} and
 * {@code two-stream-linear} are those two trained streams {@link Fuse}d without retraining, so they
 * must come after both streams. Every model gets a run directory under {@code OUT/runs}.
 *
 * <pre>{@code
 * Compare.Result r = Compare.builder().setData(data).setOutput(out).setModels(List.of("single-frame", "c3d"))
 *         .optTraining(c -> c.optEpochs(6).optFlip(false)).build().run(new Compare.Listener() {});
 * }</pre>
 */
public final class Compare {
    /** The default list: the lecture's single-frame, fusion and 3D CNN comparison. */
    public static final List<String> LECTURE_MODELS = List.of("single-frame", "late-fusion-pool", "late-fusion-fc",
            "early-fusion", "slow-fusion", "c3d");

    /**
     * One model's line in the table.
     *
     * @param senseTop1 on a Kinema-Motion set with sound classes, accuracy over the classes each
     *     {@link Evidence} group (visual, sound, both, either: which senses tell them apart) holds,
     *     keyed by {@link Evidence#jsonName()}; empty otherwise
     */
    public record Row(String model, String clip, double videoTop1, Double appearanceTop1, Double motionTop1,
            long params, double gmacsPerClip, Double trainClipsPerSecond, double inferenceClipsPerSecond,
            int testVideos, Map<String, Double> senseTop1) {}

    /** The table, as rows and as Markdown, and the files it was written to. */
    public record Result(List<Row> rows, String markdown, Path markdownFile, Path jsonFile) {}

    /** What a comparison reports as it goes; every method does nothing by default. */
    public interface Listener {
        /** {@code model} starts: trained on {@code clip} clips, or fused. */
        default void modelStarted(String model, String clip, boolean fusion) {}

        /** Where a model's training reports its epochs; null for none. */
        default TrainingListener training(String model, int epochs) {
            return null;
        }

        /** A model's training has ended, also when it failed. */
        default void trainingEnded(String model) {}

        /** A linear fusion was fitted on {@code clips} clips of each training video. */
        default void fusionFitted(String model, int clips, double seconds) {}

        /** A model has been evaluated; its run is in {@code run}. */
        default void modelFinished(Row row, Path run) {}
    }

    /** The shared part of each model's training configuration: the recipe. */
    @FunctionalInterface
    public interface ConfigStep {
        void applyTo(TrainConfig.Builder config) throws IOException;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path data;
    private final Path output;
    private final List<String> models;
    private final int frames;
    private final int stride;
    private final int size;
    private final int clips;
    private final int flowLength;
    private final int fusionClips;
    private final ConfigStep training;

    private Compare(Builder b) {
        data = Objects.requireNonNull(b.data, "a comparison needs a dataset");
        output = Objects.requireNonNull(b.output, "a comparison needs an output folder");
        models = List.copyOf(b.models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a comparison needs at least one model");
        }
        frames = b.frames;
        stride = b.stride;
        size = b.size;
        clips = b.clips;
        flowLength = b.flowLength;
        fusionClips = b.fusionClips;
        training = b.training;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Trains, fuses and evaluates each model in turn, then writes {@code compare.md} and {@code compare.json}. */
    public Result run(Listener listener) throws IOException {
        VideoDataset dataset = DatasetFormats.open(data);
        List<Row> rows = new ArrayList<>();
        for (String name : models) {
            if (Fuse.FUSIONS.containsKey(name)) {
                listener.modelStarted(name, null, true);
                rows.add(fuse(listener, dataset, name));
                continue;
            }
            Modality modality = ModelCards.modalityOf(name);
            // C3D's five 2x2x2 pools need 16 frames; flow models take stacks of L fields; every other model takes the clip as given.
            int t = modality.needsFlow() ? flowLength : name.equals("c3d") ? Math.max(frames, 16) : frames;
            listener.modelStarted(name, clip(t, modality), false);
            rows.add(train(listener, dataset, name, t, modality));
        }
        String markdown = markdown(rows);
        Files.createDirectories(output);
        Path md = output.resolve("compare.md");
        Path json = output.resolve("compare.json");
        AtomicFiles.write(md, s -> s.write(markdown.getBytes(StandardCharsets.UTF_8)));
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rows);
        AtomicFiles.write(json, s -> s.write(text.getBytes(StandardCharsets.UTF_8)));
        return new Result(List.copyOf(rows), markdown, md, json);
    }

    /** The run directory of one model of the comparison. */
    public Path runOf(String model) {
        return output.resolve("runs").resolve(model);
    }

    private String clip(int t, Modality modality) {
        return t + "x" + size + "x" + size + (modality == Modality.RGB ? "" : " " + modality);
    }

    private Row train(Listener listener, VideoDataset dataset, String name, int t, Modality modality) throws IOException {
        Path run = runOf(name);
        FileTrees.deleteRecursively(run);
        TrainConfig.Builder builder = TrainConfig.builder().setData(data.toString()).setModel(name).optFrames(t)
                .optSize(size);
        if (!modality.needsFlow()) {
            builder.optStride(stride);
        }
        training.applyTo(builder);
        TrainConfig config = builder.build();
        FlowSource source = config.flowSource(null, null, null);
        List<EpochMetrics> history;
        try {
            Trainer.Builder trainer = Trainer.builder().setConfig(config).setModelFactory(ModelFactory.registry())
                    .setRunDirectory(run).optFlowSource(source);
            TrainingListener progress = listener.training(name, config.schedule().epochs());
            if (progress != null) {
                trainer.optListener(progress);
            }
            history = trainer.build().fit();
        } finally {
            listener.trainingEnded(name);
        }
        double trainSpeed = history.stream().mapToDouble(EpochMetrics::clipsPerSecond).sorted()
                .skip(history.size() / 2).findFirst().orElse(Double.NaN);

        RunDir dir = RunDir.open(run);
        EvalResult result;
        double seconds;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = dir.loadModel(manager, ModelFactory.registry());
            long start = System.nanoTime();
            result = evaluator(model, dir, source).evaluate(dataset.samples("test"));
            seconds = (System.nanoTime() - start) / 1e9;
        }
        Row row = row(name, t, modality, dir.card(), result, seconds, trainSpeed);
        listener.modelFinished(row, run);
        return row;
    }

    private Evaluator evaluator(Block model, RunDir dir, FlowSource source) {
        return Evaluator.builder().setModel(model).setInput(dir.config().input()).setClasses(dir.labels())
                .optClips(clips).optWorkers(dir.config().data().workers()).optFlowSource(source).build();
    }

    /** The trained spatial and temporal streams of this comparison, fused, then evaluated like the others. */
    private Row fuse(Listener listener, VideoDataset dataset, String name) throws IOException {
        RunDir spatial = Fuse.trainedStream(runOf(Fuse.SPATIAL), Fuse.SPATIAL, name);
        RunDir temporal = Fuse.trainedStream(runOf(Fuse.TEMPORAL), Fuse.TEMPORAL, name);
        Fuse fuse = Fuse.builder().setSpatial(spatial).setTemporal(temporal).setModel(Fuse.FUSIONS.get(name))
                .setOutput(runOf(name)).optTraining(dataset.samples("train")).optFitClips(fusionClips)
                .optWorkers(temporal.config().data().workers()).build();
        EvalResult result;
        double seconds;
        Fuse.Fused fused;
        try (NDManager manager = NDManager.newBaseManager()) {
            fused = fuse.fuse(manager);
            if (fused.fitSeconds() > 0) {
                listener.fusionFitted(name, fusionClips, fused.fitSeconds());
            }
            long start = System.nanoTime();
            result = evaluator(fused.model(), fused.run(), fused.run().config().flowSource(null, null, null))
                    .evaluate(dataset.samples("test"));
            seconds = (System.nanoTime() - start) / 1e9;
        }
        TrainConfig config = fused.run().config();
        Row row = row(name, config.data().frames(), Modality.RGB_FLOW, fused.run().card(), result, seconds, null);
        listener.modelFinished(row, fused.run().dir());
        return row;
    }

    private Row row(String label, int t, Modality modality, ModelCard card, EvalResult result, double seconds,
            Double trainSpeed) {
        if (card.params() == null || card.macs() == null) {
            throw new IllegalStateException(card.name() + ": its run's model card has no parameters or MACs");
        }
        Map<ActionKind, long[]> byKind = KinemaMotion.accuracyByKind(result.classes(), result.confusion());
        Map<String, Double> bySense = new LinkedHashMap<>();
        KinemaMotion.accuracyByEvidence(result.classes(), result.confusion()).forEach((e, c) -> bySense.put(e.jsonName(), share(c)));
        return new Row(label, clip(t, modality), result.videoTop1(), share(byKind.get(ActionKind.APPEARANCE)),
                share(byKind.get(ActionKind.MOTION)), card.params(), card.macs() / 1e9, trainSpeed,
                (double) result.videos() * result.clips() / seconds, result.videos(), Map.copyOf(bySense));
    }

    private static Double share(long[] counts) {
        return counts == null ? null : (double) counts[0] / counts[1];
    }

    /** Column titles of the {@link Evidence} groups, in table order. */
    private static final Map<Evidence, String> SENSE_COLUMNS = new EnumMap<>(Map.of(Evidence.VISUAL, "visual-only classes",
            Evidence.SOUND, "sound-only classes", Evidence.BOTH, "classes needing both", Evidence.EITHER, "classes either tells"));

    /**
     * The table as Markdown, with a note on what the numbers mean. Sense columns (which senses tell
     * the classes apart) appear only for the groups some row has, so tables of sets without sound
     * classes are as they always were.
     */
    public static String markdown(List<Row> rows) {
        List<Evidence> senses = SENSE_COLUMNS.keySet().stream()
                .filter(e -> rows.stream().anyMatch(r -> r.senseTop1().containsKey(e.jsonName()))).toList();
        StringBuilder b = new StringBuilder();
        b.append("| model | clip | video top-1 | appearance classes | motion-only classes | ");
        senses.forEach(e -> b.append(SENSE_COLUMNS.get(e)).append(" | "));
        b.append("params | GFLOPs/clip | train clips/s | inference clips/s |\n");
        b.append("|---|---|---:|---:|---:|").append("---:|".repeat(senses.size())).append("---:|---:|---:|---:|\n");
        for (Row r : rows) {
            StringBuilder senseCells = new StringBuilder();
            senses.forEach(e -> senseCells.append(percent(r.senseTop1().get(e.jsonName()))).append(" | "));
            b.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %s | %s | %s%,d | %.2f | %s | %.1f |%n",
                    r.model(), r.clip(), 100 * r.videoTop1(), percent(r.appearanceTop1()), percent(r.motionTop1()),
                    senseCells, r.params(), r.gmacsPerClip(), r.trainClipsPerSecond() == null ? "-"
                            : String.format(Locale.ROOT, "%.1f", r.trainClipsPerSecond()), r.inferenceClipsPerSecond()));
        }
        b.append("GFLOPs are multiply-adds per clip (the lecture's and torchvision's convention).\n");
        if (rows.stream().anyMatch(r -> Fuse.FUSIONS.containsKey(r.model()))) {
            b.append("two-stream-avg and two-stream-linear are the trained spatial and temporal streams fused without "
                    + "retraining; their params and GFLOPs are both streams'.\n");
        }
        return b.toString();
    }

    private static String percent(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }

    public static final class Builder {
        private Path data;
        private Path output;
        private List<String> models = LECTURE_MODELS;
        private int frames = 8;
        private int stride = 3;
        private int size = 56;
        private int clips = 5;
        private int flowLength = 10;
        private int fusionClips = 3;
        private ConfigStep training = b -> {};

        private Builder() {}

        /** A dataset with train, val and test splits. */
        public Builder setData(Path data) {
            this.data = data;
            return this;
        }

        /** The folder for the tables and the runs. */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /** The models in table order (default: {@link #LECTURE_MODELS}); a fusion comes after both streams. */
        public Builder setModels(List<String> models) {
            this.models = models;
            return this;
        }

        /**
         * The recipe every model trains with, set on its {@code TrainConfig}: epochs, batch,
         * optimiser and learning rate, flips, seed, workers (evaluation uses as many), and where flow
         * comes from. Unset settings keep {@code TrainConfig}'s defaults.
         */
        public Builder optTraining(ConfigStep training) {
            this.training = Objects.requireNonNull(training);
            return this;
        }

        /** Frames per clip (default 8), raised to what a model needs (C3D: 16); flow models take {@link #optFlowLength}. */
        public Builder optFrames(int frames) {
            this.frames = frames;
            return this;
        }

        /** Source frames between clip frames (default 3); flow stacks are consecutive. */
        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        /** Crop size (default 56). */
        public Builder optSize(int size) {
            this.size = size;
            return this;
        }

        /** Test clips per video (default 5). */
        public Builder optClips(int clips) {
            this.clips = clips;
            return this;
        }

        /** Flow fields per stack for the temporal stream and two-stream (default 10). */
        public Builder optFlowLength(int flowLength) {
            this.flowLength = flowLength;
            return this;
        }

        /** Clips per training video two-stream-linear's classifier is fitted on (default 3). */
        public Builder optFusionClips(int fusionClips) {
            this.fusionClips = fusionClips;
            return this;
        }

        public Compare build() {
            return new Compare(this);
        }
    }
}

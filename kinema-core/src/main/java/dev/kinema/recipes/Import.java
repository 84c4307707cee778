package dev.kinema.recipes;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.cards.ModelCard;
import dev.kinema.cards.ModelCards;
import dev.kinema.engine.TorchScript;
import dev.kinema.io.AtomicFiles;
import dev.kinema.train.Checkpoint;
import dev.kinema.train.RunDir;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.train.TrainConfig;
import dev.kinema.weights.LoadReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Pretrained weights as a run directory, as if {@code kinema train} had made it (config, labels,
 * model card and checkpoint), or a TorchScript model copied into one, so evaluation, classification
 * ({@code TrainedClassifier}, the same DJL {@code Predictor}) and training on use them unchanged.
 * The run's model card says how clips are made for the weights: the one given, else the weights'
 * own ({@link ModelCards#forImport}); a TorchScript file needs one, it does not say how its clips
 * are made.
 *
 * <pre>{@code
 * Import.Imported r = Import.builder().setSource(ModelSource.safetensors("r3d_18", weights))
 *         .setOutput(Path.of("runs/r3d18-k400")).optLabels(Path.of("kinetics400.txt")).build().run();
 * }</pre>
 */
public final class Import {
    /** What was imported, from where and how it matched: {@code imported.json} in the run. */
    public static final String PROVENANCE = "imported.json";
    /** The run's dataset when none was given: not a directory, so evaluation without a dataset says so. */
    public static final String NO_DATA = "<imported without --data: pass kinema eval --data DIR>";
    /** The name of a TorchScript model's file in the run directory. */
    public static final String TORCHSCRIPT_FILE = "model.pt";

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The imported run.
     *
     * @param run the run directory
     * @param classesFrom where the number of classes came from (safetensors), e.g. "the label file"
     * @param report how the tensors matched (safetensors), or null for TorchScript
     * @param numberedLabels true when no class names were given and the classes are called class_0 ..
     * @param fileFormatVersion the TorchScript file's format version, or 0 for safetensors
     */
    public record Imported(RunDir run, int classes, String classesFrom, LoadReport report, boolean numberedLabels,
            int fileFormatVersion) {
        public ModelCard card() {
            return run.card();
        }
    }

    private final ModelSource source;
    private final Path cardFile;
    private final Path output;
    private final Path labelsFile;
    private final Path data;
    private final UnaryOperator<ModelCard.Input> clips;

    private Import(Builder b) {
        source = Objects.requireNonNull(b.source, "an import needs a model source");
        output = Objects.requireNonNull(b.output, "an import needs an output run directory");
        cardFile = b.cardFile;
        labelsFile = b.labelsFile;
        data = b.data;
        clips = b.clips;
        if (source.isTorchScript() && cardFile == null) {
            throw new IllegalArgumentException("--torchscript needs --card CARD.json: a TorchScript file does not say"
                    + " how its clips are made");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Writes the run directory.
     *
     * @throws IOException when the output already holds a run, or a file cannot be read
     * @throws IllegalArgumentException when the weights do not fit the model or the card's clips
     */
    public Imported run() throws IOException {
        if (Files.exists(output.resolve(RunDir.CHECKPOINT)) || Files.exists(output.resolve(ModelCard.FILE))) {
            throw new IOException(output + " already holds a run; choose another directory");
        }
        ModelCard card = cardFile != null ? ModelCard.read(cardFile)
                : ModelCards.forImport(source.model(), source.nameMapping().name());
        // The card says how the weights' names map; a mapping given explicitly overrides it.
        ModelSource weights = source.orMapping(card.weights().mapping());
        card = card.withInput(clips.apply(card.input()));
        List<String> names = labelsFile != null ? readLabels(labelsFile)
                : card.categories().isEmpty() ? null : card.categories();
        return weights.isTorchScript() ? importTorchScript(weights, card, names) : importSafetensors(weights, card, names);
    }

    private Imported importSafetensors(ModelSource weights, ModelCard card, List<String> names) throws IOException {
        ModelCard.Input in = card.input();
        try (NDManager manager = NDManager.newBaseManager()) {
            ModelSource.Loaded loaded = weights.load(in.frames(), in.size(), null, names == null ? null : names.size(),
                    labelsFile, manager);
            boolean numbered = names == null;
            names = numbered ? numbered(loaded.classes()) : names;
            card = ModelCards.withSizeOf(new ModelCard(weights.model(), in, names, new ModelCard.Weights(
                    ModelCard.Weights.SAFETENSORS, weights.weights().toAbsolutePath().toString(),
                    weights.nameMapping().name(), card.weights().origin()), null, null), loaded.model());
            TrainConfig config = config(weights.model(), in);
            RunDir run = RunDir.create(output, config, names, card);
            try (StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager)) {
                Checkpoint.write(run.checkpoint(), new Checkpoint.Header(config, names, 0, 0, List.of()),
                        loaded.model(), optimizer);
            }
            LoadReport report = loaded.report();
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("weights", weights.weights().toAbsolutePath().toString());
            provenance.put("mapping", weights.nameMapping().name());
            provenance.put("lenient", weights.lenient());
            provenance.put("classes_from", loaded.classesFrom());
            provenance.put("loaded", report.loaded().size());
            provenance.put("missing", report.missing());
            provenance.put("unexpected", report.unexpected());
            provenance.put("mismatched", report.mismatched().stream().map(Object::toString).toList());
            provenance.put("ignored", report.ignored());
            writeProvenance(run, provenance);
            return new Imported(run, loaded.classes(), loaded.classesFrom(), report, numbered, 0);
        }
    }

    /** Copies the TorchScript file into the run, after one forward pass shows it takes the card's clips. */
    private Imported importTorchScript(ModelSource weights, ModelCard card, List<String> names) throws IOException {
        Path file = weights.torchscript();
        int version = TorchScript.formatVersion(file);
        ModelCard.Input in = card.input();
        long classes;
        long params;
        try (NDManager manager = NDManager.newBaseManager()) {
            Block block = TorchScript.load(file, manager);
            Shape clip = in.toModelInput().shape(1);
            Shape y;
            try {
                y = block.forward(new ParameterStore(manager, false), new NDList(manager.zeros(clip)), false)
                        .singletonOrThrow().getShape();
            } catch (EngineException e) {
                throw new IllegalArgumentException(file + " does not take the card's " + clip + " clips: "
                        + e.getMessage().strip().lines().findFirst().orElse(""), e);
            }
            if (y.dimension() != 2 || y.get(0) != 1) {
                throw new IllegalArgumentException(file + ": a " + clip + " clip gave " + y + ", not 1 x classes");
            }
            classes = y.get(1);
            params = block.getParameters().values().stream().mapToLong(p -> p.getArray().size()).sum();
        }
        if (names != null && names.size() != classes) {
            throw new IllegalArgumentException(file + " predicts " + classes + " classes but "
                    + (labelsFile != null ? labelsFile : cardFile) + " names " + names.size());
        }
        boolean numbered = names == null;
        names = numbered ? numbered(Math.toIntExact(classes)) : names;
        Files.createDirectories(output);
        AtomicFiles.write(output.resolve(TORCHSCRIPT_FILE), w -> Files.copy(file, w));
        // A TorchScript graph is not profiled: its MACs are the card's, if it gives them.
        card = new ModelCard(card.name(), in, names, new ModelCard.Weights(ModelCard.Weights.TORCHSCRIPT,
                TORCHSCRIPT_FILE, null, card.weights().origin() != null ? card.weights().origin()
                        : file.toAbsolutePath().toString()), params, card.macs());
        RunDir run = RunDir.create(output, config(card.name(), in), names, card);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("torchscript", file.toAbsolutePath().toString());
        provenance.put("file_format_version", version);
        provenance.put("card", cardFile.toAbsolutePath().toString());
        writeProvenance(run, provenance);
        return new Imported(run, Math.toIntExact(classes), "the model's output", null, numbered, version);
    }

    private static List<String> numbered(int classes) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            names.add("class_" + i);
        }
        return names;
    }

    private static void writeProvenance(RunDir run, Map<String, Object> provenance) throws IOException {
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(provenance) + "\n";
        AtomicFiles.write(run.file(PROVENANCE), w -> w.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The run's config: the card's clips, so training on from the imported weights cuts the same clips. */
    private TrainConfig config(String name, ModelCard.Input in) {
        TrainConfig.Builder b = TrainConfig.builder().setModel(name)
                .setData(data != null ? data.toAbsolutePath().toString() : NO_DATA)
                .optFrames(in.frames()).optSize(in.size()).optResize(in.resize().get(0)).optModality(in.modality());
        if (in.stride() != null) {
            b.optStride(in.stride());
        } else {
            b.optFps(in.fps());
        }
        return b.build();
    }

    /**
     * Class names from a file, one a line, line {@code i + 1} naming class {@code i}.
     *
     * @throws IOException naming the file when it is missing, empty or names a class twice
     */
    public static List<String> readLabels(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such label file");
        }
        List<String> names = lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        if (names.isEmpty()) {
            throw new IOException(file + ": no class names");
        }
        if (new HashSet<>(names).size() != names.size()) {
            throw new IOException(file + ": a class name appears twice");
        }
        return names;
    }

    public static final class Builder {
        private ModelSource source;
        private Path cardFile;
        private Path output;
        private Path labelsFile;
        private Path data;
        private UnaryOperator<ModelCard.Input> clips = UnaryOperator.identity();

        private Builder() {}

        /** The model and its weights. */
        public Builder setSource(ModelSource source) {
            this.source = source;
            return this;
        }

        /** The run directory to create; it must not hold a run. */
        public Builder setOutput(Path output) {
            this.output = output;
            return this;
        }

        /** The weights' model card (required for TorchScript); default: {@link ModelCards#forImport}. */
        public Builder optCard(Path cardFile) {
            this.cardFile = cardFile;
            return this;
        }

        /** Class names, one a line (default: the card's, else class_0 .. class_{N-1}). */
        public Builder optLabels(Path labelsFile) {
            this.labelsFile = labelsFile;
            return this;
        }

        /** The dataset the weights go with: evaluation's default. */
        public Builder optData(Path data) {
            this.data = data;
            return this;
        }

        /** Changes the card's clips (frames, rate, size, resize) before they are checked and written. */
        public Builder optClips(UnaryOperator<ModelCard.Input> clips) {
            this.clips = Objects.requireNonNull(clips);
            return this;
        }

        public Import build() {
            return new Import(this);
        }
    }
}

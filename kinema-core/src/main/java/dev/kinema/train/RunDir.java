package dev.kinema.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinema.cards.ModelCard;
import dev.kinema.cards.ModelCards;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.engine.TorchScript;
import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run's directory, everything evaluation and classification need:
 *
 * <ul>
 *   <li>{@code config.json}: the {@link TrainConfig};
 *   <li>{@code card.json}: the {@link ModelCard}: how clips are made for the model (evaluation and
 *       classification follow it) and where its weights come from; a run written before cards
 *       existed gets Kinema's card for its config;
 *   <li>{@code labels.txt}: class names, one a line, line {@code i + 1} is label {@code i};
 *   <li>{@code checkpoint.ckpt}: the latest {@link Checkpoint}, or for a TorchScript model the
 *       {@code .pt} file its card names;
 *   <li>{@code best.ckpt}: the checkpoint of the epoch best by the task's validation metric
 *       ({@link TrainConfig#bestMetric()}), when there is validation;
 *   <li>{@code metrics.jsonl}: one {@link EpochMetrics} JSON object a line;
 *   <li>{@code report.html} with {@code loss.png}, {@code accuracy.png} and the task's pictures
 *       (classification: {@code confusion.png}).
 * </ul>
 *
 * <p>Every file is written atomically.
 */
public final class RunDir {
    public static final String CONFIG = "config.json";
    public static final String LABELS = "labels.txt";
    public static final String CHECKPOINT = "checkpoint.ckpt";
    /** The checkpoint of the epoch before, kept so a damaged {@link #CHECKPOINT} costs one epoch, not the run. */
    public static final String PREVIOUS_CHECKPOINT = "checkpoint.prev.ckpt";
    /** The checkpoint of the epoch best by the run's best metric, beside the latest one. */
    public static final String BEST = "best.ckpt";
    public static final String METRICS = "metrics.jsonl";
    public static final String REPORT = "report.html";

    /** Training's JSON: snake_case through the records' annotations, unknown keys ignored for newer files. */
    static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Path dir;
    private final TrainConfig config;
    private final List<String> labels;
    private final ModelCard card;
    /** The checkpoint {@link #loadModel} reads: the latest one unless {@link #withWeightsFrom} chose another. */
    private final Path weights;

    private RunDir(Path dir, TrainConfig config, List<String> labels, ModelCard card, Path weights) {
        this.dir = dir;
        this.config = config;
        this.labels = List.copyOf(labels);
        this.card = card;
        this.weights = weights;
    }

    private RunDir(Path dir, TrainConfig config, List<String> labels, ModelCard card) {
        this(dir, config, labels, card, dir.resolve(CHECKPOINT));
    }

    /**
     * This run with its model's weights read from {@code checkpointFile} instead of the latest
     * checkpoint: {@code best.ckpt}, or a checkpoint kept from another epoch. It must hold this run's
     * model and classes, as the latest does.
     *
     * @throws NoSuchFileException when there is no such file (e.g. a run trained without validation has no best.ckpt)
     */
    public RunDir withWeightsFrom(Path checkpointFile) throws IOException {
        if (!Files.isRegularFile(checkpointFile)) {
            throw new NoSuchFileException(checkpointFile.toString(), null, "no such checkpoint"
                    + (checkpointFile.getFileName().toString().equals(BEST) ? " (the run had no validation to pick a best epoch by)" : ""));
        }
        if (card.weights().isTorchScript()) {
            throw new IllegalArgumentException(dir + ": a TorchScript run has one set of weights, its "
                    + card.weights().file() + "; it has no checkpoints to choose from");
        }
        return new RunDir(dir, config, labels, card, checkpointFile);
    }

    /**
     * This run, if it was trained for one of {@code tasks}: refused in one line naming the run before
     * a model is built from it, since another task's model answers another question (a separation
     * run's K mask channels are not class scores).
     *
     * @param purpose what the caller does with the run, for the message ("classification")
     * @throws IllegalArgumentException naming the run, its task and the tasks {@code purpose} takes
     */
    public RunDir requireTask(String purpose, String... tasks) {
        String task = config.taskDefinition().name();
        if (!List.of(tasks).contains(task)) {
            throw new IllegalArgumentException(dir + ": " + purpose + " needs a run trained for " + String.join(" or ", tasks)
                    + ", but this one was trained for " + task);
        }
        return this;
    }

    /** The checkpoint {@link #loadModel} reads. */
    public Path weightsCheckpoint() {
        return weights;
    }

    /**
     * Starts a new run in {@code dir} (created if needed): writes its configuration and labels.
     *
     * @throws IOException when {@code dir} already holds a run's checkpoint (resume it instead)
     */
    public static RunDir create(Path dir, TrainConfig config, List<String> labels) throws IOException {
        return create(dir, config, labels, ModelCards.kinema(config.model(), config.input(), labels));
    }

    /**
     * Starts a run whose clips and weights {@code card} describes (imported weights): writes its
     * configuration, labels and card.
     *
     * @throws IOException when {@code dir} already holds a run's checkpoint
     */
    public static RunDir create(Path dir, TrainConfig config, List<String> labels, ModelCard card) throws IOException {
        checkFree(dir);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("a run needs at least one class");
        }
        Files.createDirectories(dir);
        AtomicFiles.write(dir.resolve(CONFIG), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, config));
        AtomicFiles.write(dir.resolve(LABELS), out -> out.write((String.join("\n", labels) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
        card.write(dir.resolve(ModelCard.FILE));
        return new RunDir(dir, config, labels, card);
    }

    /**
     * Checks that a new run may start in {@code dir}.
     *
     * @throws IOException when {@code dir} already holds a run's checkpoint (resume it instead)
     */
    public static void checkFree(Path dir) throws IOException {
        if (Files.exists(dir.resolve(CHECKPOINT))) {
            throw new IOException(dir + " already holds a training run; resume it (--resume) or choose another directory");
        }
    }

    /**
     * An existing run: reads {@code config.json} and {@code labels.txt}.
     *
     * @throws IOException naming the file that is missing or unreadable
     */
    public static RunDir open(Path dir) throws IOException {
        Path configFile = dir.resolve(CONFIG);
        Path labelsFile = dir.resolve(LABELS);
        for (Path f : List.of(configFile, labelsFile)) {
            if (!Files.isRegularFile(f)) {
                throw new NoSuchFileException(f.toString(), null, "not a training run directory (no " + f.getFileName() + ")");
            }
        }
        TrainConfig config;
        try {
            config = JSON.readValue(configFile.toFile(), TrainConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException(configFile + ": " + e.getMessage(), e);
        }
        List<String> labels = Files.readAllLines(labelsFile, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank()).toList();
        if (labels.isEmpty()) {
            throw new IOException(labelsFile + ": no class names");
        }
        Path cardFile = dir.resolve(ModelCard.FILE);
        ModelCard card = Files.exists(cardFile) ? ModelCard.read(cardFile)
                : ModelCards.kinema(config.model(), config.input(), labels);
        return new RunDir(dir, config, labels, card);
    }

    public Path dir() {
        return dir;
    }

    public TrainConfig config() {
        return config;
    }

    /** The model card: the input spec, categories and where the weights come from. */
    public ModelCard card() {
        return card;
    }

    /** How clips are made for this run's model at evaluation and classification: as its card says. */
    public ModelInput input() {
        return card.input().toModelInput();
    }

    /** Class names in label order. */
    public List<String> labels() {
        return labels;
    }

    public Path previousCheckpoint() {
        return dir.resolve(PREVIOUS_CHECKPOINT);
    }

    public Path checkpoint() {
        return dir.resolve(CHECKPOINT);
    }

    public boolean hasCheckpoint() {
        return Files.isRegularFile(checkpoint());
    }

    /** A file in the run directory. */
    public Path file(String name) {
        return dir.resolve(name);
    }

    /** Rewrites {@code metrics.jsonl} with one line per epoch of {@code history}. */
    public void writeMetrics(List<EpochMetrics> history) throws IOException {
        StringBuilder b = new StringBuilder();
        for (EpochMetrics m : history) {
            b.append(JSON.writeValueAsString(m)).append('\n');
        }
        AtomicFiles.write(file(METRICS), out -> out.write(b.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The epochs in {@code metrics.jsonl}, empty if there is none yet. */
    public List<EpochMetrics> readMetrics() throws IOException {
        Path f = file(METRICS);
        List<EpochMetrics> out = new ArrayList<>();
        if (!Files.exists(f)) {
            return out;
        }
        List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                try {
                    out.add(JSON.readValue(lines.get(i), EpochMetrics.class));
                } catch (IOException e) {
                    throw new IOException(f + ":" + (i + 1) + ": " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    /**
     * The trained model from the checkpoint, initialised for this run's input and ready for
     * inference, its parameters owned by {@code manager}.
     */
    public Block loadModel(NDManager manager, ModelFactory factory) throws IOException {
        return loadModel(manager, factory, labels.size());
    }

    /**
     * As {@link #loadModel(NDManager, ModelFactory)}, with a head of {@code outputs} values: for a
     * run whose task does not predict its labels (the self-supervised audio-visual tasks' one logit),
     * whose head the trainer sized by the task.
     */
    public Block loadModel(NDManager manager, ModelFactory factory, int outputs) throws IOException {
        if (card.weights().isTorchScript()) {
            return TorchScript.load(dir.resolve(card.weights().file()), manager);
        }
        checkMatchesCheckpoint(Checkpoint.readHeader(weights));
        Block model = factory.create(config.model(), outputs, config.data().frames(), config.data().size(),
                config.nonLocal());
        model.initialize(manager, DataType.FLOAT32, config.input().shape(1));
        Checkpoint.load(weights, model, manager, null);
        return model;
    }

    /**
     * Refuses a run whose files disagree with its checkpoint (an edited {@code labels.txt}, a
     * checkpoint copied in from another run), naming both sides, before a model is built from them.
     */
    void checkMatchesCheckpoint(Checkpoint.Header saved) throws IOException {
        if (!saved.config().model().equals(config.model())) {
            throw new IOException(weights + ": holds a '" + saved.config().model() + "' model, but the run's "
                    + CONFIG + " says '" + config.model() + "'");
        }
        if (saved.labels().size() != labels.size()) {
            throw new IOException(dir.resolve(LABELS) + ": " + labels.size() + " class names, but " + weights
                    + " was trained on " + saved.labels().size() + " classes");
        }
    }

    @Override
    public String toString() {
        return "RunDir[" + dir + ", " + config.model() + ", " + labels.size() + " classes]";
    }
}

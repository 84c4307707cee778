package dev.kinema.cli;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.cards.ModelCard;
import dev.kinema.cards.ModelCards;
import dev.kinema.engine.TorchScript;
import dev.kinema.io.AtomicFiles;
import dev.kinema.train.Checkpoint;
import dev.kinema.train.RunDir;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.train.TrainConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema import}: a run directory from safetensors weights, as if {@code kinema train} had
 * made it (config, labels, checkpoint), or from a TorchScript model, so {@code kinema eval} and
 * {@code kinema classify} use pretrained weights unchanged. The run's model card says how clips are
 * made for the weights: given with {@code --card}, else the weights' own (torchvision's preset for
 * torchvision's video ResNets, Kinema's for the rest).
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a run directory from a .safetensors file (config.json, labels.txt, card.json and a checkpoint,",
            "as kinema train writes them) or from a TorchScript model, so kinema eval --run RUN and kinema classify",
            "--run RUN use the weights. Clips are made as the model card says (--card, else the weights' card:",
            "torchvision's video preset for r3d_18, mc3_18 and r2plus1d_18 with the torchvision mapping, Kinema's",
            "Kinetics statistics for the rest); --frames, --stride/--fps, --size and --resize override it."})
final class ImportCommand implements Callable<Integer> {
    static final String IMPORTED = "imported.json";
    /** The run's dataset when none was given: not a directory, so kinema eval without --data says so. */
    static final String NO_DATA = "<imported without --data: pass kinema eval --data DIR>";
    /** The name of a TorchScript model's file in the run directory. */
    static final String TORCHSCRIPT_FILE = "model.pt";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", description = "Model name (see kinema models); with --weights.")
    String model;

    @Mixin
    WeightsOptions weights;

    @Option(names = "--card", paramLabel = "CARD.json",
            description = "The weights' model card: input spec, categories (required with --torchscript).")
    Path cardFile;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "Run directory to create.")
    Path out;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one a line, line i+1 is class i (default: the card's, else class_0 .. class_{N-1}).")
    Path labels;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The dataset these weights go with: kinema eval's default --data (and kinema train --resume's).")
    Path data;

    @Mixin
    ClipOptions clip;

    @Override
    public Integer call() throws IOException {
        weights.requireOneSource(model);
        if (weights.torchscript != null && cardFile == null) {
            throw new IllegalArgumentException("--torchscript needs --card CARD.json: a TorchScript file does not say"
                    + " how its clips are made");
        }
        if (Files.exists(out.resolve(RunDir.CHECKPOINT)) || Files.exists(out.resolve(ModelCard.FILE))) {
            throw new IOException(out + " already holds a run; choose another directory");
        }
        ModelCard card = cardFile != null ? ModelCard.read(cardFile)
                : ModelCards.forImport(model, weights.mapping().name());
        if (weights.mapping == null) {
            // The card says how the weights' names map; --mapping overrides it.
            weights.mapping = card.weights().mapping();
        }
        card = card.withInput(clip.override(card.input()));
        List<String> names = labels != null ? readLabels(labels) : card.categories().isEmpty() ? null : card.categories();
        return weights.torchscript != null ? importTorchScript(card, names) : importSafetensors(card, names);
    }

    private int importSafetensors(ModelCard card, List<String> names) throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        ModelCard.Input in = card.input();
        try (NDManager manager = NDManager.newBaseManager()) {
            WeightsOptions.Loaded loaded = weights.load(model, in.frames(), in.size(), null,
                    names == null ? null : names.size(), manager, spec.commandLine().getErr());
            names = namesOrNumbered(names, loaded.classes());
            long params = loaded.model().getParameters().values().stream()
                    .filter(p -> p.requiresGradient()).mapToLong(p -> p.getArray().size()).sum();
            card = new ModelCard(model, in, names, new ModelCard.Weights(ModelCard.Weights.SAFETENSORS,
                    weights.weights.toAbsolutePath().toString(), weights.mapping().name(), card.weights().origin()),
                    params, card.macs());
            TrainConfig config = config(model, in);
            RunDir run = RunDir.create(out, config, names, card);
            try (StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager)) {
                Checkpoint.write(run.checkpoint(), new Checkpoint.Header(config, names, 0, 0, List.of()),
                        loaded.model(), optimizer);
            }
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("weights", weights.weights.toAbsolutePath().toString());
            provenance.put("mapping", weights.mapping().name());
            provenance.put("lenient", weights.lenient);
            provenance.put("classes_from", loaded.classesFrom());
            provenance.put("loaded", loaded.report().loaded().size());
            provenance.put("missing", loaded.report().missing());
            provenance.put("unexpected", loaded.report().unexpected());
            provenance.put("mismatched", loaded.report().mismatched().stream().map(Object::toString).toList());
            provenance.put("ignored", loaded.report().ignored());
            writeProvenance(run, provenance);
            o.printf(Locale.ROOT, "imported %s (%d classes from %s, %s) into %s; weights: %s%n", model,
                    loaded.classes(), loaded.classesFrom(), describe(in), out, loaded.report().summary());
        }
        return 0;
    }

    /** Copies the TorchScript file into the run, after one forward pass shows it takes the card's clips. */
    private int importTorchScript(ModelCard card, List<String> names) throws IOException {
        Path file = weights.torchscript;
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
                    + (labels != null ? labels : cardFile) + " names " + names.size());
        }
        names = namesOrNumbered(names, Math.toIntExact(classes));
        Files.createDirectories(out);
        AtomicFiles.write(out.resolve(TORCHSCRIPT_FILE), w -> Files.copy(file, w));
        card = new ModelCard(card.name(), in, names, new ModelCard.Weights(ModelCard.Weights.TORCHSCRIPT,
                TORCHSCRIPT_FILE, null, card.weights().origin() != null ? card.weights().origin()
                        : file.toAbsolutePath().toString()), params, card.macs());
        RunDir run = RunDir.create(out, config(card.name(), in), names, card);
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("torchscript", file.toAbsolutePath().toString());
        provenance.put("file_format_version", version);
        provenance.put("card", cardFile.toAbsolutePath().toString());
        writeProvenance(run, provenance);
        spec.commandLine().getOut().printf(Locale.ROOT, "imported TorchScript %s (%d classes, %s) into %s%n",
                file.getFileName(), classes, describe(in), out);
        return 0;
    }

    private List<String> namesOrNumbered(List<String> names, int classes) {
        if (names != null) {
            return names;
        }
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            numbered.add("class_" + i);
        }
        spec.commandLine().getErr().printf(Locale.ROOT,
                "kinema import: no --labels; the %d classes are called class_0 .. class_%d%n", classes, classes - 1);
        return numbered;
    }

    private static void writeProvenance(RunDir run, Map<String, Object> provenance) throws IOException {
        AtomicFiles.write(run.file(IMPORTED), w -> w.write((Json.pretty(provenance) + "\n")
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static String describe(ModelCard.Input in) {
        return String.format(Locale.ROOT, "%dx%dx%d clips", in.frames(), in.size(), in.size());
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

    private static List<String> readLabels(Path file) throws IOException {
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
}

package dev.kinema.cli;

import ai.djl.ndarray.NDManager;
import dev.kinema.io.AtomicFiles;
import dev.kinema.models.ModelRegistry;
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
 * made it (config, labels, checkpoint), so {@code kinema eval} and {@code kinema classify} use
 * pretrained weights unchanged.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a run directory from a .safetensors file: config.json, labels.txt and a checkpoint, as",
            "kinema train writes them, so kinema eval --run RUN and kinema classify --run RUN use the weights.",
            "Clips are made as in training: --frames frames every --stride source frames, decoded at --resize,",
            "cropped to --size and normalised with the Kinetics statistics."})
final class ImportCommand implements Callable<Integer> {
    static final String IMPORTED = "imported.json";
    /** The run's dataset when none was given: not a directory, so kinema eval without --data says so. */
    static final String NO_DATA = "<imported without --data: pass kinema eval --data DIR>";

    @Spec
    CommandSpec spec;

    @Option(names = "--model", paramLabel = "NAME", required = true, description = "Model name (see kinema models).")
    String model;

    @Mixin
    WeightsOptions weights;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "Run directory to create.")
    Path out;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Class names, one a line, line i+1 is class i (default: class_0 .. class_{N-1}).")
    Path labels;

    @Option(names = "--data", paramLabel = "DIR",
            description = "The dataset these weights go with: kinema eval's default --data (and kinema train --resume's).")
    Path data;

    @Mixin
    ClipOptions clip;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(out.resolve(RunDir.CHECKPOINT))) {
            throw new IOException(out + " already holds a run; choose another directory");
        }
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> names = labels == null ? null : readLabels(labels);
        int t = clip.frames != null ? clip.frames : ModelRegistry.info(model).defaults().frames();
        int s = clip.size != null ? clip.size : ModelRegistry.info(model).defaults().size();
        try (NDManager manager = NDManager.newBaseManager()) {
            WeightsOptions.Loaded loaded = weights.load(model, t, s, null, names == null ? null : names.size(), manager,
                    err);
            if (names == null) {
                names = new ArrayList<>();
                for (int i = 0; i < loaded.classes(); i++) {
                    names.add("class_" + i);
                }
                err.printf(Locale.ROOT, "kinema import: no --labels; the %d classes are called class_0 .. class_%d%n",
                        loaded.classes(), loaded.classes() - 1);
            }
            TrainConfig config = config(t, s);
            RunDir run = RunDir.create(out, config, names);
            try (StatefulOptimizer optimizer = StatefulOptimizer.create(config.optimizer(), manager,
                    (float) config.weightDecay())) {
                Checkpoint.write(run.checkpoint(), new Checkpoint.Header(config, names, 0, 0, List.of(), null),
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
            AtomicFiles.write(run.file(IMPORTED), w -> w.write((Json.pretty(provenance) + "\n")
                    .getBytes(StandardCharsets.UTF_8)));
            o.printf(Locale.ROOT, "imported %s (%d classes from %s, %dx%dx%d clips) into %s; weights: %s%n", model,
                    loaded.classes(), loaded.classesFrom(), t, s, s, out, loaded.report().summary());
        }
        return 0;
    }

    private TrainConfig config(int t, int s) {
        TrainConfig.Builder b = TrainConfig.builder().setModel(model)
                .setData(data != null ? data.toAbsolutePath().toString() : NO_DATA)
                .optFrames(t).optSize(s);
        clip.applyRateTo(b);
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

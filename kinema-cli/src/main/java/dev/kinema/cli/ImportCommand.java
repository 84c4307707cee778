package dev.kinema.cli;

import dev.kinema.cards.ModelCard;
import dev.kinema.recipes.Import;
import dev.kinema.recipes.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema import}: a run directory from safetensors weights or a TorchScript model, made by
 * the core's {@link Import}, so {@code kinema eval} and {@code kinema classify} use pretrained
 * weights unchanged.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Make a run directory from a .safetensors file (config.json, labels.txt, card.json and a checkpoint,",
            "as kinema train writes them) or from a TorchScript model, so kinema eval --run RUN and kinema classify",
            "--run RUN use the weights. Clips are made as the model card says (--card, else the weights' card:",
            "torchvision's video preset for r3d_18, mc3_18 and r2plus1d_18 with the torchvision mapping, Kinema's",
            "Kinetics statistics for the rest); --frames, --stride/--fps, --size and --resize override it."})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

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
        ModelSource source = weights.source();
        Import.Imported imported = Import.builder().setSource(source).setOutput(out).optCard(cardFile)
                .optLabels(labels).optData(data).optClips(clip::override).build().run();
        PrintWriter o = spec.commandLine().getOut();
        WeightsOptions.reportPartial(source.weights(), imported.report(), spec.commandLine().getErr());
        if (imported.numberedLabels()) {
            spec.commandLine().getErr().printf(Locale.ROOT, "kinema: no --labels; the %d classes are called "
                    + "class_0 .. class_%d%n", imported.classes(), imported.classes() - 1);
        }
        ModelCard.Input in = imported.card().input();
        String clips = String.format(Locale.ROOT, "%dx%dx%d clips", in.frames(), in.size(), in.size());
        if (source.isTorchScript()) {
            o.printf(Locale.ROOT, "imported TorchScript %s (%d classes, %s) into %s%n",
                    source.torchscript().getFileName(), imported.classes(), clips, out);
        } else {
            o.printf(Locale.ROOT, "imported %s (%d classes from %s, %s) into %s; weights: %s%n", source.model(),
                    imported.classes(), imported.classesFrom(), clips, out, imported.report().summary());
        }
        return 0;
    }
}

package dev.kinema.cli;

import dev.kinema.adamml.AdaMmlConfig;
import dev.kinema.adamml.AdaMmlNetwork;
import dev.kinema.adamml.AdaMmlRun;
import dev.kinema.adamml.AdaMmlTraining;
import dev.kinema.adamml.SegmentInputs;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoDataset;
import dev.kinema.flow.FlowSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kinema adamml}: trains an AdaMML policy with its recognition nets, and evaluates it. */
@Command(name = "adamml", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train AdaMML (adaptive multi-modal selection, Panda et al. 2021) on a dataset with sound: a",
            "policy picks RGB, flow and audio per segment, trained jointly with the three recognition nets",
            "(Gumbel-softmax) and a compute term weighted by --efficiency. Prints one line per epoch, then one",
            "JSON line per evaluation of the test split: the policy's, and the same nets with every modality.",
            "Classify with kinema classify --policy RUN."})
final class AdaMmlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", required = true, description = "A dataset with train and test splits whose videos have sound (kinema synth --audio).")
    Path data;

    @Option(names = "--out", paramLabel = "RUN", required = true, description = "Where the run goes (adamml.json, adamml.params).")
    Path out;

    @Option(names = "--efficiency", paramLabel = "W", defaultValue = "0.5", description = "Weight of the compute fraction in the loss (default: ${DEFAULT-VALUE}).")
    float efficiency;

    @Option(names = "--all-modalities", description = "No policy: every modality on every segment (the late-fusion baseline).")
    boolean allModalities;

    @Option(names = "--epochs", defaultValue = "10", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "8", description = "Videos per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "3e-3", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    float lr;

    @Option(names = "--segments", defaultValue = "4", description = "Segments per video (default: ${DEFAULT-VALUE}).")
    int segments;

    @Option(names = "--size", defaultValue = "32", description = "Frame side in pixels, a multiple of 8 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the batch order and the Gumbel noise (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        VideoDataset dataset = DatasetFormats.open(data);
        AdaMmlConfig tiny = AdaMmlConfig.tiny(dataset.labels());
        AdaMmlConfig config = new AdaMmlConfig(tiny.labels(), segments, size, tiny.flowFields(), tiny.melFrames(),
                tiny.rgbWidth(), tiny.flowWidth(), tiny.audioWidth(), tiny.policyHidden());
        FlowSource flow = SegmentInputs.defaultFlow(config);
        List<SegmentInputs> train = AdaMmlTraining.decodeSplit(dataset, "train", config, flow);
        List<SegmentInputs> test = AdaMmlTraining.decodeSplit(dataset, "test", config, flow);
        o.printf(Locale.ROOT, "decoded %d training and %d test videos%n", train.size(), test.size());
        o.flush();
        AdaMmlTraining.Options options = new AdaMmlTraining.Options(epochs, batch, lr, efficiency, allModalities, seed);
        try (AdaMmlRun run = AdaMmlTraining.fit(config, train, options, out, new AdaMmlTraining.Listener() {
            @Override
            public void epoch(int epoch, double loss, double accuracy, double compute) {
                o.printf(Locale.ROOT, "epoch %d/%d: loss %.3f, train top-1 %.1f%%, compute %.1f%% of all modalities%n",
                        epoch, epochs, loss, 100 * accuracy, 100 * compute);
                o.flush();
            }
        })) {
            if (!allModalities) {
                o.println(Json.line(AdaMmlTraining.evaluate(run.network(), run.manager(), "test", test, AdaMmlNetwork.Decisions.GREEDY)));
            }
            o.println(Json.line(AdaMmlTraining.evaluate(run.network(), run.manager(), "test", test, AdaMmlNetwork.Decisions.ALL)));
        }
        return 0;
    }
}

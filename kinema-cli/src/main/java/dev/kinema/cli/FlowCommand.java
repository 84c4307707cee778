package dev.kinema.cli;

import dev.kinema.flow.FlowCache;
import dev.kinema.flow.FlowCacheWriter;
import dev.kinema.flow.FlowEstimator;
import dev.kinema.flow.FlowMethod;
import dev.kinema.flow.FlowQuantizer;
import dev.kinema.flow.FlowSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema flow}: precomputes the optical flow of a whole dataset into a cache. */
@Command(name = "flow", mixinStandardHelpOptions = true,
        description = {"Precompute optical flow for every video under DATASET_DIR into FLOW_DIR (see docs/flow.md).",
            "One compressed 8-bit .kflow file per video, mirroring the tree of DATASET_DIR, and flow.json.",
            "Resumable: rerun the same command after an interruption and finished videos are skipped.",
            "Loaders read FLOW_DIR through dev.kinema.flow.FlowCache."})
final class FlowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DATASET_DIR", description = "Dataset root; every video under it is processed.")
    Path dataset;

    @Option(names = "--out", paramLabel = "FLOW_DIR", required = true,
            description = "Cache directory: new, empty, or an earlier run of the same settings (resumed).")
    Path out;

    @Option(names = "--method", paramLabel = "M", defaultValue = FlowMethod.DEFAULT_ID,
            description = "farneback, tvl1, dis (= dis-fast), dis-ultrafast, dis-fast or dis-medium (default: ${DEFAULT-VALUE}:"
                    + " about 70x faster than TV-L1 here; see docs/benchmarks.md for the accuracy trade-off).")
    String method;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "128",
            description = "Short side the frames are scaled to before computing flow, aspect kept (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--step", paramLabel = "N", defaultValue = "1",
            description = "Frames between the two ends of each flow field (default: ${DEFAULT-VALUE}).")
    int step;

    @Option(names = "--bound", paramLabel = "PX", defaultValue = "20",
            description = "Clip flow to ±PX before quantising to 8 bits (default: ${DEFAULT-VALUE}).")
    float bound;

    @Option(names = "--workers", paramLabel = "W", description = "Videos in parallel (default: one per core).")
    Integer workers;

    @Override
    public Integer call() throws IOException {
        FlowSettings settings = new FlowSettings(FlowMethod.parse(method), size, step);
        int w = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        // Workers already fill the cores; OpenCV's own threads on top would only compete with them.
        if (w > 1) {
            FlowEstimator.setOpenCvThreads(1);
        }
        FlowCacheWriter writer = FlowCacheWriter.builder().setDataset(dataset).setOutput(out).setSettings(settings)
                .optBound(bound).optWorkers(w).build();
        int total = writer.videos().size();
        if (total == 0) {
            throw new IOException(dataset + ": no video files found under it");
        }
        FlowCacheWriter.Summary s;
        try (ProgressBar bar = ProgressBars.builder("flow", total, " videos").build()) {
            s = writer.run((video, done, all) -> {
                synchronized (bar) {
                    bar.stepTo(Math.max(bar.getCurrent(), done));
                }
            });
        }
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s: %d videos, %d computed, %d already done, %d failed, in %.1f s%n",
                s.output(), s.videos(), s.computed(), s.skipped(), s.failures().size(), s.seconds());
        if (s.refreshed() > 0) {
            o.printf(Locale.ROOT, "%d entries were recomputed because their video changed or the entry was damaged%n",
                    s.refreshed());
        }
        if (s.computed() > 0) {
            o.printf(Locale.ROOT, "%s, %d fields written, %.1f MB, %.0f bytes per field%n", settings,
                    s.fields(), s.bytes() / 1e6, s.bytesPerField());
        }
        o.flush();
        if (!s.failures().isEmpty()) {
            PrintWriter err = spec.commandLine().getErr();
            for (FlowCacheWriter.Failure f : s.failures()) {
                err.println("kinema: flow failed for " + f.video() + ": " + f.reason());
            }
            err.println("kinema: " + s.failures().size() + " of " + s.videos() + " videos failed; rerun to retry them");
            err.flush();
            return 1;
        }
        return 0;
    }
}

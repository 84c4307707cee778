package dev.kinema.cli;

import dev.kinema.recipes.AvSync;
import dev.kinema.viz.LineChart;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema av-sync}: the offset of a video's sound, from a synchronisation run. */
@Command(name = "av-sync", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimate how far a video's sound is off its picture with a run trained with --task av-sync",
            "(av-sync-net): uniformly spaced clips are scored with their sound moved by each offset of a grid,",
            "and the offset of the highest mean in-sync probability wins. Positive: the sound comes late."})
final class AvSyncCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "VIDEO", description = "A video with a sound track.")
    Path video;

    @Option(names = "--run", paramLabel = "RUN", required = true, description = "A run trained with --task av-sync.")
    Path run;

    @Option(names = "--max-shift", paramLabel = "S", defaultValue = "2",
            description = "Largest offset tried either way, seconds (default: ${DEFAULT-VALUE}).")
    double maxShift;

    @Option(names = "--step", paramLabel = "S", defaultValue = "0.1",
            description = "Step of the offset grid, seconds (default: ${DEFAULT-VALUE}).")
    double step;

    @Option(names = "--clips", paramLabel = "N", defaultValue = "8",
            description = "Clips of the video scored at each offset (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--json", description = "One JSON object: video, offset_seconds, score, clips, curve [{offset, score}].")
    boolean json;

    @Option(names = "--png", paramLabel = "FILE",
            description = "Also draw the curve to FILE: the mean in-sync probability against the offset.")
    Path png;

    @Override
    public Integer call() throws IOException {
        AvSync.Result r = AvSync.builder().setRun(run).setVideo(video).optMaxShift(maxShift).optStep(step).optClips(clips)
                .build().run();
        PrintWriter o = spec.commandLine().getOut();
        if (png != null) {
            offsetCurve(r).writePng(png);
        }
        if (json) {
            Map<String, Object> obj = new LinkedHashMap<>();
            obj.put("video", video.toString());
            obj.put("offset_seconds", r.offsetSeconds());
            obj.put("score", r.peakScore());
            obj.put("clips", r.clips());
            List<Map<String, Object>> curve = new ArrayList<>();
            for (int i = 0; i < r.offsets().length; i++) {
                Map<String, Object> point = new LinkedHashMap<>();
                point.put("offset", r.offsets()[i]);
                point.put("score", Double.isNaN(r.scores()[i]) ? null : r.scores()[i]);
                curve.add(point);
            }
            obj.put("curve", curve);
            o.println(Json.line(obj));
            return 0;
        }
        o.printf(Locale.ROOT, "%s: sound offset %+.2f s (%s; in-sync probability %.3f over %d clip%s)%n", video,
                r.offsetSeconds(), r.offsetSeconds() > 0 ? "the sound comes late" : r.offsetSeconds() < 0
                        ? "the sound comes early" : "in sync", r.peakScore(), r.clips(), r.clips() == 1 ? "" : "s");
        for (int i = 0; i < r.offsets().length; i++) {
            double s = r.scores()[i];
            String bar = Double.isNaN(s) ? "" : "#".repeat((int) Math.round(40 * s));
            o.printf(Locale.ROOT, "  %+6.2f s  %s  %s%n", r.offsets()[i], Double.isNaN(s) ? "  n/a" : String.format(Locale.ROOT,
                    "%.3f", s), bar);
        }
        return 0;
    }

    /** The curve as a chart; offsets no clip could be scored at (NaN) are gaps. */
    private LineChart offsetCurve(AvSync.Result r) {
        String title = String.format(Locale.ROOT, "%s: most in sync at %+.2f s", video.getFileName(), r.offsetSeconds());
        return LineChart.builder().setTitle(title).optAxisLabels("offset of the sound, s (positive: later)",
                "in-sync probability").optYRange(0, 1)
                .addSeries("mean over " + r.clips() + (r.clips() == 1 ? " clip" : " clips"), r.offsets(), r.scores(), LineChart.PALETTE.get(0)).build();
    }
}

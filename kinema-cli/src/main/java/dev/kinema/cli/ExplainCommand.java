package dev.kinema.cli;

import ai.djl.ndarray.NDManager;
import dev.kinema.explain.ClassScoreOptimiser;
import dev.kinema.explain.ExplanationFiles;
import dev.kinema.explain.FirstLayerFilters;
import dev.kinema.explain.VideoExplainer;
import dev.kinema.models.VideoModel;
import dev.kinema.train.RunDir;
import dev.kinema.video.VideoFrames;
import dev.kinema.viz.GifWriter;
import dev.kinema.viz.Heatmaps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema explain}: what a video model looks at and what it has learned, as pictures. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Explain a video model: Grad-CAM and saliency over a video (gradcam), its first-layer",
            "filters (filters), or the input that maximises a class score (optimise)."},
        subcommands = {ExplainCommand.GradCamCommand.class, ExplainCommand.FiltersCommand.class,
            ExplainCommand.OptimiseCommand.class})
final class ExplainCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code kinema explain gradcam}. */
    @Command(name = "gradcam", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Grad-CAM over time (mmaction2's convention) and saliency for K uniform clips of a video:",
                "writes gradcam.gif (clip | Grad-CAM | saliency), timeline.png (per-frame importance),",
                "gradcam.json (per-frame scores), frames.png, flow.gif (two-stream) and index.html into --out."})
    static final class GradCamCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "VIDEO", description = "The video to explain.")
        Path video;

        @Option(names = "--run", paramLabel = "RUN", required = true, description = "Run directory written by kinema train.")
        Path run;

        @Option(names = "--layer", paramLabel = "NAME",
                description = "The layer (module path, e.g. conv3, layer4, blocks.4; default: the model card's Grad-CAM layer, see kinema models NAME).")
        String layer;

        @Option(names = "--class", paramLabel = "NAME", description = "The class to explain (default: the video's top class).")
        String className;

        @Option(names = "--clips", paramLabel = "K", defaultValue = "1", description = "Uniform clips (default: ${DEFAULT-VALUE}).")
        int clips;

        @Option(names = "--out", paramLabel = "DIR", required = true, description = "Folder for the files.")
        Path out;

        @Mixin
        FlowOptions flow;

        @Override
        public Integer call() throws IOException {
            RunDir dir = RunDir.open(run);
            PrintWriter o = spec.commandLine().getOut();
            try (VideoExplainer explainer = VideoExplainer.open(dir, flow.sourceFor(dir.config()))) {
                VideoExplainer.Explanation e = explainer.explain(video, layer, className, clips);
                ExplanationFiles.Written w = ExplanationFiles.write(e, out);
                o.printf(Locale.ROOT, "%s: %s explained for '%s' at layer %s (%d %s); top: %s %.1f%%%n", video, e.model(),
                        e.target(), e.layer(), e.clips().size(), e.clips().size() == 1 ? "clip" : "clips",
                        e.top().get(0).label(), 100 * e.top().get(0).probability());
                o.printf("wrote %s (open %s)%n", w.dir(), w.page());
            }
            return 0;
        }
    }

    /** {@code kinema explain filters}. */
    @Command(name = "filters", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"The first layer's filters (C x kt x kh x kw each): a .png of kt-frame strips or a .gif of",
                "looping tiles; RGB filters around grey, flow filters (dx, dy) on the colour wheel. A two-stream",
                "model's flow stream goes to a second file named with -flow."})
    static final class FiltersCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--run", paramLabel = "RUN", description = "Run directory written by kinema train (or --model/--weights).")
        Path run;

        @Mixin
        WeightsOptions weights;

        @Option(names = "--shared-scale", description = "One colour scale for all filters (default: each filter its own).")
        boolean sharedScale;

        @Option(names = "--out", paramLabel = "F.png|F.gif", required = true, description = "Where to write them.")
        Path out;

        @Override
        public Integer call() throws IOException {
            if ((run == null) == (weights.model == null && weights.torchscript == null)) {
                throw new IllegalArgumentException("give --run RUN, or --model NAME --weights FILE.safetensors");
            }
            List<Path> written;
            if (run != null) {
                try (VideoExplainer explainer = VideoExplainer.open(run)) {
                    written = FirstLayerFilters.write(explainer.model(), sharedScale, out);
                }
            } else {
                try (NDManager manager = NDManager.newBaseManager()) {
                    VideoModel model = weights.source().load(null, null, null, null, null, manager).model();
                    written = FirstLayerFilters.write(model, sharedScale, out);
                }
            }
            for (Path p : written) {
                spec.commandLine().getOut().println("wrote " + p);
            }
            return 0;
        }
    }

    /** {@code kinema explain optimise}. */
    @Command(name = "optimise", aliases = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Class-score optimisation: gradient ascent on the input (RGB clip, flow stack, or both) from",
                "seeded noise to maximise one class's score, with L2, total-variation and temporal-smoothness",
                "penalties. Several --temporal-smoothness weights give panels side by side in one GIF."})
    static final class OptimiseCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--run", paramLabel = "RUN", required = true, description = "Run directory written by kinema train.")
        Path run;

        @Option(names = "--class", paramLabel = "NAME", required = true, description = "The class whose score is maximised.")
        String className;

        @Option(names = "--steps", paramLabel = "N", defaultValue = "100", description = "Gradient steps (default: ${DEFAULT-VALUE}).")
        int steps;

        @Option(names = "--temporal-smoothness", paramLabel = "λ", split = ",", defaultValue = "1",
                description = "Weight of the squared change between frames: strong = slow motion (default: ${DEFAULT-VALUE}); a list gives panels side by side.")
        List<Double> smoothness;

        @Option(names = "--l2", paramLabel = "W", defaultValue = "0.01", description = "L2 weight (default: ${DEFAULT-VALUE}).")
        double l2;

        @Option(names = "--tv", paramLabel = "W", defaultValue = "0.05", description = "Total-variation weight (default: ${DEFAULT-VALUE}).")
        double tv;

        @Option(names = "--rate", paramLabel = "R", defaultValue = "0.05", description = "Step size, in RMS-normalised gradients (default: ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of the starting noise (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", paramLabel = "F.gif", required = true, description = "The GIF to write.")
        Path out;

        @Override
        public Integer call() throws IOException {
            PrintWriter o = spec.commandLine().getOut();
            try (VideoExplainer explainer = VideoExplainer.open(run)) {
                int target = explainer.classIndex(className);
                List<VideoFrames> panels = new ArrayList<>();
                for (double lambda : smoothness) {
                    ClassScoreOptimiser.Result r = ClassScoreOptimiser.builder().optSteps(steps).optRate(rate).optL2(l2)
                            .optTotalVariation(tv).optTemporalSmoothness(lambda).optSeed(seed).build()
                            .fromNoise(explainer.model(), target, explainer.input().normalization());
                    double[] s = r.scores();
                    o.printf(Locale.ROOT, "%s, temporal smoothness %s: score %.3f -> %.3f in %d steps%n", className,
                            lambda, s[0], s[s.length - 1], steps);
                    panels.add(ClassScoreOptimiser.pictures(r.clip(), explainer.input().normalization()));
                }
                VideoFrames all = Heatmaps.sideBySide(panels.toArray(VideoFrames[]::new));
                Path gif = new GifWriter(4).write(Heatmaps.enlarge(all, Math.max(1, 160 / panels.get(0).width())), out);
                o.println("wrote " + gif);
            }
            return 0;
        }
    }
}

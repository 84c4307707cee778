package dev.kinema.synth;

import dev.kinema.data.annotations.ActivityNetJson;
import dev.kinema.data.annotations.Segment;
import dev.kinema.data.annotations.ThumosLists;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Renders untrimmed Kinema-Motion ({@link UntrimmedMotion}) to disk:
 * <ul>
 *   <li>{@code OUT/videos/<id>.mp4}, the untrimmed videos;</li>
 *   <li>{@code OUT/activitynet.json}, the ground truth in ActivityNet's format (subsets
 *   {@code training}, {@code validation}, {@code testing}: 70/15/15 by index, as trimmed synth);</li>
 *   <li>{@code OUT/thumos/<Class>_<subset>.txt}, the same as THUMOS14-style class lists;</li>
 *   <li>{@code OUT/labels.txt}, the action classes;</li>
 *   <li>{@code OUT/windows/{train,val,test}/<class or background>/*.mp4}: trimmed windows cut from
 *   the same scenes, inside instances and in the background between them, a folder dataset on
 *   which {@code kinema train} fits the clip classifier (with its {@code background} class) that
 *   sliding-window localisation runs.</li>
 * </ul>
 * Deterministic per seed: video {@code i}'s scene comes from a hash of the seed and {@code i}.
 */
public final class UntrimmedDatasetWriter {
    public static final String VIDEOS = "videos";
    public static final String ACTIVITYNET = "activitynet.json";
    public static final String THUMOS = "thumos";
    public static final String WINDOWS = "windows";
    public static final String LABELS = "labels.txt";
    /** The label of windows where no action happens. */
    public static final String BACKGROUND = "background";

    /**
     * What to render.
     *
     * @param seconds {min, max} length of a video
     * @param instanceSeconds {min, max} length of an action instance
     * @param windowSeconds length of each trimmed training window
     * @param windowsPerInstance windows cut from each instance (and as many background windows per video)
     */
    public record Options(Path output, int videos, long seed, int width, int height, double fps, double[] seconds,
            double[] instanceSeconds, int maxInstances, List<ActionClass> classes, double windowSeconds,
            int windowsPerInstance, int workers, boolean overwrite) {
        public Options {
            Objects.requireNonNull(output, "output");
            if (videos < 1) {
                throw new IllegalArgumentException("need at least one video, got " + videos);
            }
            if (!(seconds[0] > 0 && seconds[1] >= seconds[0]) || !(instanceSeconds[0] > 0 && instanceSeconds[1] >= instanceSeconds[0])) {
                throw new IllegalArgumentException("video and instance lengths must be MIN:MAX with 0 < MIN <= MAX");
            }
            if (windowSeconds > instanceSeconds[0]) {
                throw new IllegalArgumentException("training windows (" + windowSeconds
                        + " s) must fit in the shortest instance (" + instanceSeconds[0] + " s)");
            }
            classes = List.copyOf(classes);
        }

        /** The issue's defaults: 20–60 s videos with 1–5 instances of 3–10 s, all classes, 128 px at 25 fps. */
        public static Options defaults(Path output) {
            return new Options(output, 50, 0, 128, 128, 25, new double[] {20, 60}, new double[] {3, 10}, 5,
                    KinemaMotion.classes(), 2.0, 2, Runtime.getRuntime().availableProcessors(), false);
        }
    }

    /** One planned video, its split and the windows cut from it. */
    public record Planned(UntrimmedMotion.Video video, String split, Path file, List<Window> windows) {}

    /** A trimmed window of a video's scene and its label ({@link #BACKGROUND} outside the instances). */
    public record Window(SceneClip clip, String label, Path file) {}

    /** What {@link #write} produced. */
    public record Summary(Path output, List<Planned> videos, int windows, double seconds) {}

    private final Options o;

    public UntrimmedDatasetWriter(Options options) {
        this.o = options;
    }

    /** ActivityNet's subset name of a split. */
    static String subset(String split) {
        return Map.of("train", "training", "val", "validation", "test", "testing").get(split);
    }

    /** Every video and window this writer would produce, without rendering anything. */
    public List<Planned> plan() {
        List<Planned> out = new ArrayList<>();
        for (int i = 0; i < o.videos(); i++) {
            long seed = Seeds.mix(Seeds.mix(o.seed(), Seeds.of("untrimmed")), i);
            SplittableRandom lengths = new SplittableRandom(Seeds.mix(seed, 0xD0A7L));
            double seconds = o.seconds()[0] == o.seconds()[1] ? o.seconds()[0] : lengths.nextDouble(o.seconds()[0], o.seconds()[1]);
            String id = String.format(Locale.ROOT, "untrimmed_%04d", i);
            ClipSpec spec = ClipSpec.ofSeconds(o.width(), o.height(), o.fps(), seconds);
            UntrimmedMotion.Video video = UntrimmedMotion.sample(id, o.classes(), spec, seed, o.maxInstances(), o.instanceSeconds());
            String split = SynthDatasetWriter.split(i, o.videos());
            out.add(new Planned(video, split, o.output().resolve(VIDEOS).resolve(id + ".mp4"),
                    windows(video, split, new SplittableRandom(Seeds.mix(seed, 0x3D0L)))));
        }
        return out;
    }

    /** Windows inside each instance, and as many in the background gaps that can hold one. */
    private List<Window> windows(UntrimmedMotion.Video video, String split, SplittableRandom rng) {
        List<Window> out = new ArrayList<>();
        double w = o.windowSeconds();
        ClipSpec spec = ClipSpec.ofSeconds(o.width(), o.height(), o.fps(), w);
        Path dir = o.output().resolve(WINDOWS).resolve(split);
        List<double[]> gaps = new ArrayList<>();
        double previousEnd = 0;
        int k = 0;
        for (Segment s : video.segments()) {
            gaps.add(new double[] {previousEnd, s.start()});
            previousEnd = s.end();
            for (int i = 0; i < o.windowsPerInstance(); i++) {
                double start = s.start() + rng.nextDouble() * Math.max(0, s.length() - w);
                out.add(new Window(new SceneClip(video.clip().scene(), spec, start), s.label(),
                        dir.resolve(s.label()).resolve(String.format(Locale.ROOT, "%s_%02d.mp4", video.id(), k++))));
            }
        }
        gaps.add(new double[] {previousEnd, video.clip().spec().duration()});
        List<double[]> roomy = gaps.stream().filter(g -> g[1] - g[0] >= w).toList();
        int background = roomy.isEmpty() ? 0 : o.windowsPerInstance() * video.segments().size();
        for (int i = 0; i < background; i++) {
            double[] g = roomy.get(rng.nextInt(roomy.size()));
            double start = g[0] + rng.nextDouble() * (g[1] - g[0] - w);
            out.add(new Window(new SceneClip(video.clip().scene(), spec, start), BACKGROUND,
                    dir.resolve(BACKGROUND).resolve(String.format(Locale.ROOT, "%s_%02d.mp4", video.id(), k++))));
        }
        return out;
    }

    /**
     * Renders every video and window, then writes the annotations.
     *
     * @param progress called with the number of finished files after each one (from worker threads)
     */
    public Summary write(IntConsumer progress) {
        long start = System.nanoTime();
        prepareOutput();
        List<Planned> planned = plan();
        List<Runnable> jobs = new ArrayList<>();
        List<Path> names = new ArrayList<>();
        for (Planned p : planned) {
            jobs.add(() -> p.video().clip().write(p.file()));
            names.add(p.file());
            for (Window w : p.windows()) {
                jobs.add(() -> w.clip().write(w.file()));
                names.add(w.file());
            }
        }
        ParallelRender.run(jobs, names, o.workers(), progress);
        try {
            List<ActivityNetJson.Video> truth = planned.stream().map(p -> new ActivityNetJson.Video(p.video().id(),
                    Math.round(p.video().clip().spec().duration() * 1000) / 1000.0, subset(p.split()), p.video().segments())).toList();
            ActivityNetJson.writeGroundTruth(o.output().resolve(ACTIVITYNET), truth);
            List<String> labels = o.classes().stream().map(ActionClass::name).toList();
            for (String split : SynthDatasetWriter.SPLITS) {
                List<Segment> segments = planned.stream().filter(p -> p.split().equals(split))
                        .flatMap(p -> p.video().segments().stream()).toList();
                ThumosLists.write(o.output().resolve(THUMOS), split, labels, segments);
            }
            Files.writeString(o.output().resolve(LABELS), String.join("\n", labels) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the annotations in " + o.output() + ": " + e.getMessage(), e);
        }
        return new Summary(o.output(), planned, jobs.size() - planned.size(), (System.nanoTime() - start) / 1e9);
    }

    private void prepareOutput() {
        SynthDatasetWriter.prepareOutput(o.output(), o.overwrite(), List.of(VIDEOS, THUMOS, WINDOWS), List.of(ACTIVITYNET, LABELS));
    }
}

package dev.kinema.synth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import java.util.stream.Stream;

/**
 * Renders Kinema-Motion to disk: {@code OUT/{train,val,test}/<class>/<class>_<nnnn>.mp4}, plus
 * {@code kinetics.csv} (label,youtube_id,time_start,time_end,split), {@code labels.txt} (one class a
 * line, index = line - 1) and {@code classes.json} (name, index, kind, pairedWith, description).
 *
 * <p>Deterministic: video {@code i} of a class is rendered from
 * {@link KinemaMotion#sampleSeed(long, String, int)} with its duration drawn from the same seed, and
 * splits are assigned by index (the first 70% of each class's indices go to train, the next 15%
 * to val, the rest to test; each of val and test gets at least one video once a class has three),
 * so the output depends on neither the number of workers nor their scheduling.
 *
 * <pre>{@code
 * SynthDatasetWriter.builder().setOutput(Path.of("data/kinema-motion")).optVideosPerClass(50).build()
 *         .write(done -> System.out.println(done + " videos"));
 * }</pre>
 */
public final class SynthDatasetWriter {
    /** The Kinetics-style index. */
    public static final String CSV = "kinetics.csv";
    public static final String LABELS = "labels.txt";
    public static final String CLASSES = "classes.json";
    public static final List<String> SPLITS = List.of("train", "val", "test");

    private final Path output;
    private final int videosPerClass;
    private final long seed;
    private final int width;
    private final int height;
    private final double fps;
    private final double minSeconds;
    private final double maxSeconds;
    private final boolean audio;
    private final int workers;
    private final boolean overwrite;
    private final List<ActionClass> classes;

    private SynthDatasetWriter(Builder b) {
        this.output = b.output;
        this.videosPerClass = b.videosPerClass;
        this.seed = b.seed;
        this.width = b.width;
        this.height = b.height;
        this.fps = b.fps;
        this.minSeconds = b.minSeconds;
        this.maxSeconds = b.maxSeconds;
        this.audio = b.audio;
        this.workers = b.workers;
        this.overwrite = b.overwrite;
        this.classes = b.classes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** One planned video. */
    public record Video(ActionClass actionClass, int index, String split, long seed, ClipSpec spec, Path file) {
        /** The file name without extension: the {@code youtube_id} column. */
        public String id() {
            String name = file.getFileName().toString();
            return name.substring(0, name.length() - ".mp4".length());
        }
    }

    /** What {@link #write} produced. */
    public record Summary(Path output, List<Video> videos, long bytes, double seconds) {}

    /** Every video this writer would produce, in label-then-index order, without rendering anything. */
    public List<Video> plan() {
        List<Video> out = new ArrayList<>();
        for (ActionClass c : classes) {
            for (int i = 0; i < videosPerClass; i++) {
                long s = KinemaMotion.sampleSeed(seed, c.name(), i);
                // The duration comes from its own stream of the sample's seed: the scene's draws stay untouched.
                double seconds = minSeconds == maxSeconds ? minSeconds
                        : new SplittableRandom(Seeds.mix(s, 0xD0A7L)).nextDouble(minSeconds, maxSeconds);
                String split = split(i, videosPerClass);
                String name = String.format(Locale.ROOT, "%s_%04d.mp4", c.name(), i);
                out.add(new Video(c, i, split, s, ClipSpec.ofSeconds(width, height, fps, seconds),
                        output.resolve(split).resolve(c.name()).resolve(name)));
            }
        }
        return out;
    }

    /** The split of video {@code index} of {@code count}: 70/15/15 by index. */
    static String split(int index, int count) {
        int val = Math.max(count >= 3 ? 1 : 0, (int) Math.round(count * 0.15));
        int test = val;
        int train = count - val - test;
        return index < train ? "train" : index < train + val ? "val" : "test";
    }

    /**
     * Renders every video on a fixed pool of worker threads, then writes the index files.
     *
     * @param progress called with the number of finished videos after each one (from worker threads)
     */
    public Summary write(IntConsumer progress) {
        long start = System.nanoTime();
        prepareOutput();
        List<Video> videos = plan();
        ParallelRender.run(videos.stream().<Runnable>map(v -> () ->
                KinemaMotion.sample(v.actionClass(), v.spec(), v.seed()).write(v.file(), audio)).toList(),
                videos.stream().map(Video::file).toList(), workers, progress);
        writeIndex(videos);
        long bytes = 0;
        for (Video v : videos) {
            bytes += sizeOf(v.file());
        }
        return new Summary(output, videos, bytes, (System.nanoTime() - start) / 1e9);
    }

    private void prepareOutput() {
        prepareOutput(output, overwrite, SPLITS, List.of(CSV, LABELS, CLASSES));
    }

    /**
     * Makes {@code output} an empty directory; a non-empty one is refused unless {@code overwrite},
     * and then only what a previous run wrote is deleted (stale videos would otherwise be picked up
     * by folder loaders).
     */
    static void prepareOutput(Path output, boolean overwrite, List<String> folders, List<String> files) {
        try {
            if (Files.isDirectory(output)) {
                boolean empty;
                try (Stream<Path> s = Files.list(output)) {
                    empty = s.findAny().isEmpty();
                }
                if (!empty) {
                    if (!overwrite) {
                        throw new IllegalArgumentException("output directory " + output
                                + " is not empty: choose a new one, or overwrite a previous synth run");
                    }
                    for (String folder : folders) {
                        deleteTree(output.resolve(folder));
                    }
                    for (String f : files) {
                        Files.deleteIfExists(output.resolve(f));
                    }
                }
            } else if (Files.exists(output)) {
                throw new IllegalArgumentException("output " + output + " exists and is not a directory");
            }
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare output directory " + output + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private void writeIndex(List<Video> videos) {
        StringBuilder csv = new StringBuilder("label,youtube_id,time_start,time_end,split\n");
        for (Video v : videos) {
            csv.append(v.actionClass().name()).append(',').append(v.id()).append(",0,")
                    .append(String.format(Locale.ROOT, "%.3f", v.spec().duration())).append(',').append(v.split())
                    .append('\n');
        }
        StringBuilder labels = new StringBuilder();
        List<Map<String, Object>> json = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            ActionClass c = classes.get(i);
            labels.append(c.name()).append('\n');
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("index", i);
            m.put("kind", c.kind().jsonName());
            m.put("pairedWith", c.pairedWith());
            m.put("description", c.description());
            json.add(m);
        }
        try {
            Files.writeString(output.resolve(CSV), csv, StandardCharsets.UTF_8);
            Files.writeString(output.resolve(LABELS), labels, StandardCharsets.UTF_8);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(output.resolve(CLASSES).toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the index files in " + output + ": " + e.getMessage(), e);
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException("rendered video " + p + " is missing: " + e.getMessage(), e);
        }
    }

    /** DJL-style builder: {@link #setOutput} is required, everything else has a default. */
    public static final class Builder {
        private Path output;
        private int videosPerClass = 100;
        private long seed;
        private int width = 128;
        private int height = 128;
        private double fps = 25;
        private double minSeconds = 2;
        private double maxSeconds = 4;
        private boolean audio;
        private int workers = Runtime.getRuntime().availableProcessors();
        private boolean overwrite;
        private List<ActionClass> classes = KinemaMotion.classes();

        private Builder() {}

        public Builder setOutput(Path output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Videos of each class; default 100. */
        public Builder optVideosPerClass(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("videos per class must be at least 1, got " + n);
            }
            this.videosPerClass = n;
            return this;
        }

        /** Dataset seed; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Frame size in pixels, both even; default 128×128. */
        public Builder optSize(int width, int height) {
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("frame size must be even and at least 16x16, got " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
            return this;
        }

        /** Frame rate; default 25. */
        public Builder optFps(double fps) {
            if (!(fps >= 1 && fps <= 240)) {
                throw new IllegalArgumentException("fps must be in [1, 240], got " + fps);
            }
            this.fps = fps;
            return this;
        }

        /** Each video's length is uniform in [min, max] seconds; default 2 to 4. */
        public Builder optSeconds(double min, double max) {
            if (!(min > 0 && max >= min && max <= 600)) {
                throw new IllegalArgumentException("seconds must satisfy 0 < min <= max <= 600, got " + min + ":" + max);
            }
            this.minSeconds = min;
            this.maxSeconds = max;
            return this;
        }

        /** Adds a mono 16 kHz AAC soundtrack with a sound at each contact event; default off. */
        public Builder optAudio(boolean audio) {
            this.audio = audio;
            return this;
        }

        /** Worker threads; default one per core. */
        public Builder optWorkers(int workers) {
            if (workers < 1) {
                throw new IllegalArgumentException("need at least one worker, got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** Replace a previous run's output in the same directory instead of refusing; default false. */
        public Builder optOverwrite(boolean overwrite) {
            this.overwrite = overwrite;
            return this;
        }

        /**
         * Only these classes (default all); {@code labels.txt} and {@code classes.json} then list just
         * them, in label order, indexed by their line in {@code labels.txt}.
         */
        public Builder optClasses(List<ActionClass> classes) {
            if (classes.isEmpty()) {
                throw new IllegalArgumentException("need at least one class");
            }
            this.classes = classes.stream().distinct().sorted(Comparator.comparingInt(ActionClass::index)).toList();
            return this;
        }

        public SynthDatasetWriter build() {
            if (output == null) {
                throw new IllegalStateException("setOutput is required");
            }
            return new SynthDatasetWriter(this);
        }
    }
}

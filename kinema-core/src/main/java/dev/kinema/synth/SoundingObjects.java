package dev.kinema.synth;

import dev.kinema.io.AtomicFiles;
import dev.kinema.video.VideoWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Videos for sound-source localisation ("Objects that Sound"): two discs of different kinds bounce
 * around a plain noisy backdrop, and only one of them sounds. Each kind has its own colour and its
 * own pitch; the sounding disc hums at its pitch and rings louder at each wall bounce, the silent one
 * makes no sound at all. So what the sound says (its pitch, and when it rings) points at one disc,
 * and a correspondence network's heat map should lie on it.
 *
 * <p>Layout (a folder dataset with splits): {@code OUT/{train,val,test}/<kind>-sounds/<kind>-sounds_<nnnn>.mp4},
 * the class being the sounding disc's kind (the tasks that train on it ignore labels), and beside the
 * splits {@code OUT/boxes/<video name>.csv}: per frame the sounding and the silent disc's boxes in
 * pixels ({@code frame,sounding_x1,sounding_y1,sounding_x2,sounding_y2,silent_x1,...}), which the
 * folder reader ignores. Deterministic in the seed: video i of a kind is rendered from
 * {@code (seed, kind, i)}; splits by index as {@link SynthDatasetWriter} (70%, 15%, 15%).
 */
public final class SoundingObjects {
    /** The folder of the per-frame box files, beside the splits. */
    public static final String BOXES = "boxes";
    /** The soundtrack's rate. */
    public static final int SAMPLE_RATE = 16_000;

    /** A kind of disc: its name, colour and pitch (Hz), far apart on the mel scale. */
    public record Kind(String name, int red, int green, int blue, double pitch) {
        public String className() {
            return name + "-sounds";
        }
    }

    /** The eight kinds: pitches half an octave apart or more, from 300 Hz to 3.6 kHz. */
    public static final List<Kind> KINDS = List.of(new Kind("red", 230, 50, 40, 300), new Kind("magenta", 220, 60, 220, 450),
            new Kind("green", 60, 200, 70, 600), new Kind("cyan", 60, 220, 230, 900), new Kind("blue", 60, 90, 235, 1200),
            new Kind("orange", 245, 140, 30, 1800), new Kind("yellow", 240, 220, 50, 2400),
            new Kind("white", 240, 240, 240, 3600));

    /**
     * @param output the dataset's folder (new, or empty)
     * @param videosPerKind videos whose sounding disc is of each kind
     * @param size width and height in pixels
     * @param seconds each video's length
     */
    public record Options(Path output, int videosPerKind, long seed, int size, double fps, double seconds) {
        public Options {
            if (videosPerKind < 1 || size < 16 || fps <= 0 || seconds < 1) {
                throw new IllegalArgumentException("sounding-and-silent videos need at least one video per kind, 16 px, a"
                        + " positive frame rate and 1 s; got " + videosPerKind + ", " + size + " px, " + fps + " fps, "
                        + seconds + " s");
            }
        }
    }

    /** A disc's box on one frame, in pixels. */
    public record Box(double x1, double y1, double x2, double y2) {
        public boolean contains(double x, double y) {
            return x >= x1 && x <= x2 && y >= y1 && y <= y2;
        }

        /** Its share of a {@code width}×{@code height} frame. */
        public double areaFraction(int width, int height) {
            return (x2 - x1) * (y2 - y1) / ((double) width * height);
        }
    }

    /** One frame's two boxes. */
    public record FrameBoxes(Box sounding, Box silent) {}

    private SoundingObjects() {}

    /** Renders the dataset; returns the videos written, in order. */
    public static List<Path> write(Options o) throws IOException {
        Files.createDirectories(o.output());
        Files.createDirectories(o.output().resolve(BOXES));
        List<Path> written = new ArrayList<>();
        for (int k = 0; k < KINDS.size(); k++) {
            Kind kind = KINDS.get(k);
            for (int i = 0; i < o.videosPerKind(); i++) {
                String name = String.format(Locale.ROOT, "%s_%04d", kind.className(), i);
                Path dir = o.output().resolve(split(i, o.videosPerKind())).resolve(kind.className());
                Files.createDirectories(dir);
                Path video = dir.resolve(name + ".mp4");
                Scene scene = new Scene(k, new SplittableRandom(Seeds.mix(Seeds.mix(o.seed(), Seeds.of(kind.name())), i)), o);
                scene.write(video, boxesFile(o.output(), name));
                written.add(video);
            }
        }
        return written;
    }

    /** The split of video {@code i} of {@code n}: the first 70% train, the next 15% val, the rest test. */
    private static String split(int i, int n) {
        int train = Math.max(1, (int) Math.floor(0.7 * n));
        int val = n >= 3 ? Math.max(1, (int) Math.floor(0.15 * n)) : 0;
        return i < train ? "train" : i < train + val ? "val" : "test";
    }

    /** Where the boxes of the video named {@code name} (no extension) lie under a dataset folder. */
    public static Path boxesFile(Path dataset, String name) {
        return dataset.resolve(BOXES).resolve(name + ".csv");
    }

    /** The boxes of a video of such a dataset: its folder's {@code boxes/<name>.csv}. */
    public static Path boxesOf(Path dataset, Path video) {
        String file = video.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return boxesFile(dataset, dot < 0 ? file : file.substring(0, dot));
    }

    /**
     * Reads a boxes file, one entry per frame.
     *
     * @throws IOException naming the file and line of a bad entry
     */
    public static List<FrameBoxes> readBoxes(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<FrameBoxes> out = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            String[] f = lines.get(n).split(",");
            try {
                if (f.length != 9 || Integer.parseInt(f[0]) != n - 1) {
                    throw new NumberFormatException("expected frame " + (n - 1) + " and 8 coordinates");
                }
                double[] v = Arrays.stream(f, 1, 9).mapToDouble(Double::parseDouble).toArray();
                out.add(new FrameBoxes(new Box(v[0], v[1], v[2], v[3]), new Box(v[4], v[5], v[6], v[7])));
            } catch (RuntimeException e) {
                throw new IOException(csv + ":" + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One video: a backdrop and two discs, the first sounding. */
    private static final class Scene {
        private final Options o;
        private final Kind[] kinds = new Kind[2];
        private final double radius;
        private final int[] backdrop = new int[3];
        private final byte[] noise;
        private final double[][] x = new double[2][];
        private final double[][] y = new double[2][];
        private final List<Double> bounces = new ArrayList<>();
        private final boolean soundingOnTop;

        Scene(int soundingKind, SplittableRandom rng, Options o) {
            this.o = o;
            kinds[0] = KINDS.get(soundingKind);
            kinds[1] = KINDS.get((soundingKind + 1 + rng.nextInt(KINDS.size() - 1)) % KINDS.size());
            radius = o.size() * rng.nextDouble(0.15, 0.19);
            for (int c = 0; c < 3; c++) {
                backdrop[c] = rng.nextInt(20, 90);
            }
            noise = new byte[o.size() * o.size()];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = (byte) rng.nextInt(-12, 13);
            }
            soundingOnTop = rng.nextBoolean();
            int frames = frames();
            int substeps = 8;
            double dt = 1 / (o.fps() * substeps);
            for (int d = 0; d < 2; d++) {
                x[d] = new double[frames];
                y[d] = new double[frames];
                double lo = radius;
                double hi = o.size() - radius;
                double px = rng.nextDouble(lo, hi);
                double py = rng.nextDouble(lo, hi);
                double speed = o.size() * rng.nextDouble(0.7, 1.1);
                double angle = rng.nextDouble(0, 2 * Math.PI);
                double vx = speed * Math.cos(angle);
                double vy = speed * Math.sin(angle);
                for (int f = 0; f < frames; f++) {
                    x[d][f] = px;
                    y[d][f] = py;
                    for (int s = 0; s < substeps; s++) {
                        px += vx * dt;
                        py += vy * dt;
                        boolean bounced = false;
                        if (px < lo || px > hi) {
                            vx = -vx;
                            px = px < lo ? 2 * lo - px : 2 * hi - px;
                            bounced = true;
                        }
                        if (py < lo || py > hi) {
                            vy = -vy;
                            py = py < lo ? 2 * lo - py : 2 * hi - py;
                            bounced = true;
                        }
                        if (bounced && d == 0) {
                            bounces.add((f * substeps + s + 1) * dt);
                        }
                    }
                }
            }
        }

        int frames() {
            return (int) Math.round(o.seconds() * o.fps());
        }

        Box box(int disc, int frame) {
            return new Box(x[disc][frame] - radius, y[disc][frame] - radius, x[disc][frame] + radius, y[disc][frame] + radius);
        }

        void render(int frame, byte[] rgb) {
            int s = o.size();
            for (int p = 0; p < s * s; p++) {
                for (int c = 0; c < 3; c++) {
                    rgb[3 * p + c] = (byte) (backdrop[c] + noise[p]);
                }
            }
            int[] order = soundingOnTop ? new int[] {1, 0} : new int[] {0, 1};
            for (int d : order) {
                Kind k = kinds[d];
                for (int r = Math.max(0, (int) (y[d][frame] - radius)); r < Math.min(s, (int) (y[d][frame] + radius) + 1); r++) {
                    for (int c = Math.max(0, (int) (x[d][frame] - radius)); c < Math.min(s, (int) (x[d][frame] + radius) + 1); c++) {
                        double dx = c + 0.5 - x[d][frame];
                        double dy = r + 0.5 - y[d][frame];
                        if (dx * dx + dy * dy <= radius * radius) {
                            int p = 3 * (r * s + c);
                            rgb[p] = (byte) k.red();
                            rgb[p + 1] = (byte) k.green();
                            rgb[p + 2] = (byte) k.blue();
                        }
                    }
                }
            }
        }

        /** The sounding disc's hum at its pitch, a louder ring at each bounce, over a faint noise floor. */
        float[] audio(SplittableRandom rng) {
            float[] out = new float[(int) Math.round(frames() / o.fps() * SAMPLE_RATE)];
            double w = 2 * Math.PI * kinds[0].pitch() / SAMPLE_RATE;
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (0.06 * Math.sin(w * i) + 0.004 * (rng.nextDouble() - 0.5));
            }
            int ring = (int) (0.4 * SAMPLE_RATE);
            for (double t : bounces) {
                int start = (int) Math.round(t * SAMPLE_RATE);
                for (int k = 0; k < ring && start + k < out.length; k++) {
                    double env = Math.exp(-k / (0.08 * SAMPLE_RATE));
                    out[start + k] += (float) (0.5 * env * (Math.sin(w * k) + 0.3 * Math.sin(2 * w * k)));
                }
            }
            for (int i = 0; i < out.length; i++) {
                out[i] = Math.max(-1f, Math.min(1f, out[i]));
            }
            return out;
        }

        void write(Path video, Path boxes) throws IOException {
            float[] audio = audio(new SplittableRandom(bounces.size() * 31L + kinds[0].name().hashCode()));
            byte[] rgb = new byte[o.size() * o.size() * 3];
            StringBuilder csv = new StringBuilder("frame,sounding_x1,sounding_y1,sounding_x2,sounding_y2,"
                    + "silent_x1,silent_y1,silent_x2,silent_y2\n");
            int done = 0;
            try (VideoWriter writer = VideoWriter.builder(video).setSize(o.size(), o.size()).optFps(o.fps())
                    .optAudio(SAMPLE_RATE, 1).build()) {
                for (int f = 0; f < frames(); f++) {
                    render(f, rgb);
                    writer.writeFrame(rgb);
                    // one frame's worth of sound at a time, so the muxer never buffers much
                    int upTo = f == frames() - 1 ? audio.length
                            : (int) Math.min(audio.length, Math.round((f + 1) * SAMPLE_RATE / o.fps()));
                    if (upTo > done) {
                        writer.writeAudio(Arrays.copyOfRange(audio, done, upTo));
                        done = upTo;
                    }
                    Box a = box(0, f);
                    Box b = box(1, f);
                    csv.append(String.format(Locale.ROOT, "%d,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f%n", f, a.x1(), a.y1(),
                            a.x2(), a.y2(), b.x1(), b.y1(), b.x2(), b.y2()));
                }
            }
            AtomicFiles.write(boxes, out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        }
    }
}

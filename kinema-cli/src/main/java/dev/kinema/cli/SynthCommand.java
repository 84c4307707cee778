package dev.kinema.cli;

import dev.kinema.synth.ActionClass;
import dev.kinema.synth.CaptionDatasetWriter;
import dev.kinema.synth.ClassPreview;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.MultiActorMotion;
import dev.kinema.synth.SoundingObject;
import dev.kinema.synth.SoundingObjects;
import dev.kinema.synth.SoundingObjectsWriter;
import dev.kinema.synth.SynthDatasetWriter;
import dev.kinema.synth.UntrimmedDatasetWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code kinema synth}: renders the built-in Kinema-Motion dataset, or a contact sheet of it. */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = {"Render Kinema-Motion, the built-in procedural action dataset, to H.264 mp4 files:",
            "DIR/{train,val,test}/<class>/<class>_<nnnn>.mp4 plus kinetics.csv, labels.txt and classes.json.",
            "With --preview, write a PNG contact sheet (one row of frames per class) instead."})
final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (must be new or empty).")
    Path out;

    @Option(names = "--videos-per-class", paramLabel = "N", defaultValue = "100",
            description = "Videos per class (default: ${DEFAULT-VALUE}).")
    int videosPerClass;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Dataset seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--size", paramLabel = "PX|WxH", defaultValue = "128",
            description = "Frame size: PX for square frames or WxH, even (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "25", description = "Frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--seconds", paramLabel = "MIN:MAX",
            description = "Each video's length, uniform in MIN..MAX seconds, or one number (default: 2:4; 20:60 with --untrimmed).")
    String seconds;

    @Option(names = "--untrimmed", description = {"Render untrimmed videos for temporal localisation instead:",
        "DIR/videos/*.mp4 with 1..--max-instances actions on background activity, DIR/activitynet.json,",
        "DIR/thumos/<Class>_<split>.txt, and DIR/windows/{train,val,test}/<class|background>/ to train a clip classifier."})
    boolean untrimmed;

    @Option(names = "--multi-actor", description = {"Render multi-actor videos for spatio-temporal detection instead: DIR/videos/*.mp4",
        "with 2..4 figures each doing its own action, boxes per actor on 1 fps keyframes in AVA CSV",
        "(DIR/ava_<split>.csv), DIR/label_map.pbtxt and DIR/excluded_timestamps_<split>.csv."})
    boolean multiActor;

    @Option(names = "--sounding-and-silent", description = {"Render videos for sound-source localisation instead: two bouncing",
            "discs, one sounding (a hum at its colour's pitch, a ring at each bounce), one silent;",
            "DIR/{train,val,test}/<kind>-sounds/*.mp4 (--videos-per-class each of 8 kinds, square --size,",
            "--seconds one length, default 4) and DIR/boxes/<video>.csv, both discs' boxes per frame."})
    boolean soundingAndSilent;

    @Option(names = "--videos", paramLabel = "N", defaultValue = "50",
            description = "With --untrimmed or --multi-actor: how many videos (default: ${DEFAULT-VALUE}).")
    int videos;

    @Option(names = "--instance-seconds", paramLabel = "MIN:MAX", defaultValue = "3:10",
            description = "With --untrimmed: each action instance's length (default: ${DEFAULT-VALUE}).")
    String instanceSeconds;

    @Option(names = "--max-instances", paramLabel = "K", defaultValue = "5",
            description = "With --untrimmed: at most K instances per video (default: ${DEFAULT-VALUE}).")
    int maxInstances;

    @Option(names = "--window-seconds", paramLabel = "S", defaultValue = "2",
            description = "With --untrimmed: length of the trimmed training windows (default: ${DEFAULT-VALUE}).")
    double windowSeconds;

    @Option(names = "--captions", description = {"Also write captions.json (MSR-VTT sentences, 4 paraphrases a video) and",
            "qa.json (question, answer, type, split) from each scene's ground truth."})
    boolean captions;

    @Option(names = "--audio", description = "Add a mono 16 kHz AAC track with a sound at each contact event.")
    boolean audio;

    @Option(names = "--sounding-objects", description = {"Render sounding-object videos for visually guided source separation instead:",
        "one instrument a video (violin, drum, bell, flute; --classes picks some), its solo sound as AAC in the mp4",
        "and as <name>.wav beside it; --videos-per-class each, --seconds long (default 2)."})
    boolean soundingObjects;

    @Option(names = "--workers", paramLabel = "W", description = "Worker threads (default: one per core).")
    Integer workers;

    @Option(names = "--classes", paramLabel = "NAME", split = ",",
            description = "Only these classes, comma-separated (default: all).")
    List<String> classNames;

    @Option(names = "--overwrite", description = "Replace the videos and index files of a previous run in DIR.")
    boolean overwrite;

    @Option(names = "--preview", paramLabel = "PNG",
            description = "Write a contact sheet of every class to PNG (uses --seed; --size sets the tile size) and exit.")
    Path preview;

    @Override
    public Integer call() throws IOException {
        int[] wh = parseSize(size);
        if (preview != null) {
            ClassPreview.write(preview, seed, wh[0], 6, 3.0);
            System.out.println("wrote " + preview);
            return 0;
        }
        if (out == null) {
            throw new ParameterException(spec.commandLine(), "give --out DIR (or --preview PNG)");
        }
        if (captions && (untrimmed || multiActor)) {
            throw new ParameterException(spec.commandLine(), "--captions annotates trimmed Kinema-Motion videos, not --untrimmed or --multi-actor");
        }
        if (untrimmed && multiActor) {
            throw new ParameterException(spec.commandLine(), "choose one of --untrimmed and --multi-actor");
        }
        if (soundingAndSilent) {
            double length = parseSeconds(seconds == null ? "4" : seconds)[1];
            List<Path> written = SoundingObjects.write(new SoundingObjects.Options(
                    out, videosPerClass, seed, wh[0], fps, length));
            System.out.printf(Locale.ROOT, "wrote %d sounding-and-silent videos and their boxes to %s%n", written.size(), out);
            return 0;
        }
        if (soundingObjects) {
            return writeSoundingObjects(wh);
        }
        if (untrimmed) {
            return writeUntrimmed(wh);
        }
        if (multiActor) {
            double length = parseSeconds(seconds == null ? "6" : seconds)[1];
            List<MultiActorMotion.Video> written;
            try (ProgressBar bar = ProgressBars.builder("synth", videos, " videos").build()) {
                written = MultiActorMotion.write(out, videos, seed, wh[0], wh[1], fps, length, classes(),
                        workers == null ? Runtime.getRuntime().availableProcessors() : workers, overwrite, done -> {
                            synchronized (bar) {
                                bar.stepTo(Math.max(bar.getCurrent(), done));
                            }
                        });
            }
            System.out.printf(Locale.ROOT, "wrote %d multi-actor videos with %d keyframe boxes to %s%n", written.size(),
                    written.stream().mapToInt(v -> v.boxes().size()).sum(), out);
            return 0;
        }
        double[] range = parseSeconds(seconds == null ? "2:4" : seconds);
        SynthDatasetWriter.Builder builder = SynthDatasetWriter.builder().setOutput(out)
                .optVideosPerClass(videosPerClass).optSeed(seed).optSize(wh[0], wh[1]).optFps(fps)
                .optSeconds(range[0], range[1]).optAudio(audio).optOverwrite(overwrite);
        if (workers != null) {
            builder.optWorkers(workers);
        }
        if (classNames != null) {
            builder.optClasses(classes());
        }
        SynthDatasetWriter writer = builder.build();
        int total = writer.plan().size();
        SynthDatasetWriter.Summary summary;
        try (ProgressBar bar = ProgressBars.builder("synth", total, " videos").build()) {
            summary = writer.write(done -> {
                synchronized (bar) {
                    bar.stepTo(Math.max(bar.getCurrent(), done));
                }
            });
        }
        System.out.println(describe(summary));
        if (captions) {
            CaptionDatasetWriter.Summary written = CaptionDatasetWriter.write(out, summary.videos());
            System.out.printf(Locale.ROOT, "wrote %d captions and %d questions of %d videos to %s and %s%n", written.sentences(),
                    written.questions(), written.videos(), out.resolve(CaptionDatasetWriter.CAPTIONS), out.resolve(CaptionDatasetWriter.QA));
        }
        return 0;
    }

    /** One line: what was written, where, how fast, and how many classes of motion. */
    static String describe(SynthDatasetWriter.Summary summary) {
        List<ActionClass> written = summary.videos().stream().map(SynthDatasetWriter.Video::actionClass).distinct().toList();
        long motion = written.stream().filter(ActionClass::isMotion).count();
        return String.format(Locale.ROOT, "wrote %d videos (%.1f MB) to %s in %.1f s (%.1f videos/s); %d classes, %d of them motion",
                summary.videos().size(), summary.bytes() / 1e6, summary.output(), summary.seconds(),
                summary.videos().size() / summary.seconds(), written.size(), motion);
    }

    private List<ActionClass> classes() {
        return classNames == null ? KinemaMotion.classes() : classNames.stream().map(String::strip).map(KinemaMotion::get).toList();
    }

    private Integer writeSoundingObjects(int[] wh) {
        if (untrimmed || multiActor || captions) {
            throw new ParameterException(spec.commandLine(), "--sounding-objects cannot be combined with --untrimmed, --multi-actor or --captions");
        }
        List<SoundingObject> objects = classNames == null ? List.of(SoundingObject.values())
                : classNames.stream().map(String::strip).map(SoundingObject::of).toList();
        SoundingObjectsWriter writer = new SoundingObjectsWriter(out, videosPerClass, seed, wh[0], wh[1], fps,
                parseSeconds(seconds == null ? "2" : seconds)[1], objects,
                workers == null ? Runtime.getRuntime().availableProcessors() : workers, overwrite);
        List<SoundingObjectsWriter.Planned> written;
        try (ProgressBar bar = ProgressBars.builder("synth", writer.plan().size(), " videos").build()) {
            written = writer.write(done -> {
                synchronized (bar) {
                    bar.stepTo(Math.max(bar.getCurrent(), done));
                }
            });
        }
        System.out.printf(Locale.ROOT, "wrote %d sounding-object videos (%s) with their solo WAVs to %s%n", written.size(),
                String.join(", ", objects.stream().map(SoundingObject::label).toList()), out);
        return 0;
    }

    private Integer writeUntrimmed(int[] wh) {
        UntrimmedDatasetWriter writer = new UntrimmedDatasetWriter(new UntrimmedDatasetWriter.Options(out, videos, seed, wh[0], wh[1],
                fps, parseSeconds(seconds == null ? "20:60" : seconds), parseSeconds(instanceSeconds), maxInstances, classes(),
                windowSeconds, 2, workers == null ? Runtime.getRuntime().availableProcessors() : workers, overwrite));
        int total = writer.plan().stream().mapToInt(p -> 1 + p.windows().size()).sum();
        UntrimmedDatasetWriter.Summary summary;
        try (ProgressBar bar = ProgressBars.builder("synth", total, " videos").build()) {
            summary = writer.write(done -> {
                synchronized (bar) {
                    bar.stepTo(Math.max(bar.getCurrent(), done));
                }
            });
        }
        long instances = summary.videos().stream().mapToLong(p -> p.video().segments().size()).sum();
        System.out.printf(Locale.ROOT, "wrote %d untrimmed videos with %d action instances, and %d training windows, to %s in %.1f s%n",
                summary.videos().size(), instances, summary.windows(), summary.output(), summary.seconds());
        return 0;
    }

    private int[] parseSize(String text) {
        try {
            String[] parts = text.toLowerCase(Locale.ROOT).split("x");
            if (parts.length == 1) {
                int px = Integer.parseInt(parts[0].strip());
                return new int[] {px, px};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--size must be PX or WxH, got '" + text + "'");
    }

    private double[] parseSeconds(String text) {
        try {
            String[] parts = text.split(":");
            if (parts.length == 1) {
                double s = Double.parseDouble(parts[0].strip());
                return new double[] {s, s};
            }
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0].strip()), Double.parseDouble(parts[1].strip())};
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "seconds must be MIN:MAX or one number, got '" + text + "'");
    }
}

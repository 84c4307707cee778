package dev.kinema.cli;

import dev.kinema.data.transforms.ClipTransform;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.sampling.TargetFps;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoDecodeException;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import dev.kinema.viz.ContactSheet;
import dev.kinema.viz.GifWriter;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kinema clip}: sample one clip the way a model would see it (T frames at a low fps, short
 * side resized in the decoder, cropped) and write it as a contact sheet (PNG) or an animated GIF.
 */
@Command(
        name = "clip",
        mixinStandardHelpOptions = true,
        description = {
            "Sample a clip and write it as a contact sheet (.png) or an animated GIF (.gif).",
            "Frames at --fps, short side resized to --size while decoding, then cropped.",
            "The clip is centred in the video unless --start is given; a video too short for it loops."
        })
final class ClipCommand implements Callable<Integer> {
    enum CropMode { center, random, none }

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Video file.")
    Path file;

    @Option(names = "--frames", defaultValue = "16", description = "Frames in the clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--fps", defaultValue = "5", description = "Target frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--size", defaultValue = "112",
            description = "Short side after resizing, and the crop size (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--crop", defaultValue = "center",
            description = "Square crop of --size: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    CropMode crop;

    @Option(names = "--seed", defaultValue = "0", description = "Seed of the random crop (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", paramLabel = "SECONDS", description = "Start the clip at this time instead of centring it.")
    Double start;

    @Option(names = "--out", required = true, paramLabel = "sheet.png|clip.gif", description = "Output file.")
    Path out;

    @Option(names = "--columns", defaultValue = "0",
            description = "Contact-sheet frames per row; 0 for a roughly square sheet (default: ${DEFAULT-VALUE}).")
    int columns;

    @Option(names = "--no-captions", description = "Contact sheet without the '#index t=seconds' captions.")
    boolean noCaptions;

    @Override
    public Integer call() {
        String format = outputFormat(out);
        if (frames <= 0) {
            throw new IllegalArgumentException("--frames must be positive, got " + frames);
        }
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException("--fps must be positive, got " + fps);
        }
        if (size <= 0) {
            throw new IllegalArgumentException("--size must be positive, got " + size);
        }
        if (columns < 0) {
            throw new IllegalArgumentException("--columns must be >= 0, got " + columns);
        }
        if (!Files.isRegularFile(file)) {
            throw new VideoDecodeException(file, Files.exists(file) ? "not a regular file" : "no such file");
        }

        ReaderOptions options = ReaderOptions.builder().optSize(FrameSize.shortSide(size)).build();
        int[] indices;
        double videoFps;
        int total;
        VideoFrames clip;
        try (VideoReader reader = VideoReader.open(file, options)) {
            total = reader.frameCount();
            videoFps = reader.fps();
            indices = TargetFps.choose(total, videoFps, frames, fps, start);
            clip = reader.read(indices);
        }
        // Mix the seed first: java.util.Random's first draws barely differ between seeds 0, 1, 2...
        clip = cropTransform().apply(clip, new Random(new SplittableRandom(seed).nextLong()));

        Path written;
        String layout;
        if (format.equals("png")) {
            ContactSheet sheet = ContactSheet.builder().optColumns(columns).optCaptions(!noCaptions).build();
            ContactSheet.Grid grid = sheet.grid(clip.frames(), clip.height(), clip.width());
            written = sheet.write(clip, out);
            layout = String.format(Locale.ROOT, "contact sheet %dx%d (%d columns x %d rows)",
                    grid.width(), grid.height(), grid.columns(), grid.rows());
        } else {
            GifWriter gif = new GifWriter(fps);
            written = gif.write(clip, out);
            layout = String.format(Locale.ROOT, "GIF, %d ms per frame, looping", gif.delayCentiseconds() * 10);
        }

        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "wrote %s%n", written);
        o.printf(Locale.ROOT, "  %s%n", layout);
        o.printf(Locale.ROOT, "  %d frames of %dx%d at %s fps (every %s source frames; crop %s)%n",
                clip.frames(), clip.width(), clip.height(), number(fps), number(TargetFps.stride(videoFps, fps)), crop);
        o.printf(Locale.ROOT, "  from %s: %d frames at %s fps%n", file, total, number(videoFps));
        o.printf(Locale.ROOT, "  source indices %s%n", Arrays.toString(indices));
        o.flush();
        return 0;
    }

    private ClipTransform cropTransform() {
        return switch (crop) {
            case center -> Crop.center(size);
            case random -> Crop.random(size);
            case none -> ClipTransform.identity();
        };
    }

    /** "png" or "gif" from the extension; anything else is a usage error. */
    static String outputFormat(Path out) {
        String name = out.getFileName() == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".gif")) {
            return "gif";
        }
        throw new IllegalArgumentException("--out must end in .png (contact sheet) or .gif (animation), got " + out);
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }
}

package dev.kinema.cli;

import dev.kinema.video.VideoDecodeException;
import dev.kinema.video.VideoInfo;
import dev.kinema.video.VideoProbe;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kinema probe}: what a video file holds. Every file is checked (its packets are read, not
 * decoded), so a truncated or damaged file is reported here. Bad files do not stop the others; the
 * exit code is non-zero if any failed.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Print the metadata of video files; --json gives one JSON object per line.",
            "Every frame is decoded (not converted) to catch damaged files; --no-verify only reads the packets."})
final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Video files.")
    List<Path> files;

    @Option(names = "--json", description = "One JSON object per file, one per line.")
    boolean json;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Decode every frame to catch damage only the decoder sees (default: on; --no-verify to skip).")
    boolean verify;

    @Option(names = "--timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "Time bound per file (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        for (Path file : files) {
            try {
                Duration timeout = Duration.ofSeconds(timeoutSeconds);
                VideoInfo info = verify ? VideoProbe.verify(file, timeout) : VideoProbe.probe(file, timeout);
                out.println(json ? Json.line(info) : describe(info));
            } catch (VideoDecodeException e) {
                err.println("kinema: " + e.getMessage());
                failed++;
            }
            out.flush();
        }
        return failed == 0 ? 0 : 2;
    }

    private static String describe(VideoInfo i) {
        String audio = i.hasAudio()
                ? String.format(Locale.ROOT, "%s %d Hz x%d", i.audioCodec(), i.audioSampleRate(), i.audioChannels())
                : "none";
        return String.format(Locale.ROOT, "%s%n  %s, %s %dx%d%s, %.3f fps, %d frames%s, %.2f s, audio: %s",
                i.path(), i.container(), i.videoCodec(), i.width(), i.height(),
                i.rotation() != 0 ? " (rotated " + i.rotation() + ")" : "", i.fps(), i.frames(),
                i.framesExact() ? " (counted)" : "", i.durationSeconds(), audio);
    }
}

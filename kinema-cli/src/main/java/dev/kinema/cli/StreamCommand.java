package dev.kinema.cli;

import dev.kinema.eval.StreamClassifier;
import dev.kinema.train.TrainedStream;
import dev.kinema.video.FrameSource;
import dev.kinema.video.LiveOptions;
import dev.kinema.video.VideoDecodeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kinema stream}: live recognition one frame at a time with a causal streaming model. */
@Command(name = "stream", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recognise actions live with a trained causal streaming model (stream-x3d-s,",
            "stream-r2plus1d-18): every frame goes through the network once, stream buffers carry the past,",
            "and every N frames it prints the top classes of everything seen so far and the frame's latency.",
            "Runs until the input ends or Ctrl-C."})
final class StreamCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "INPUT", description = "A video file, - for standard input, or a URL FFmpeg opens (rtsp://, udp://, http://).")
    String input;

    @Option(names = "--run", paramLabel = "RUN", required = true, description = "Run directory of a stream-* model (kinema train).")
    java.nio.file.Path run;

    @Option(names = "--every", paramLabel = "N", defaultValue = "8", description = "Report every N frames (default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes per report (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "Longest wait for the input's next frame before giving up (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--json", description = "One JSON object per report: frame, seconds, top [{label, probability}], latencyMs, fps.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (every < 1 || top < 1 || timeout < 1) {
            spec.commandLine().getErr().println("kinema: --every, --top and --timeout must be >= 1");
            return 2;
        }
        try (TrainedStream trained = TrainedStream.open(run);
             FrameSource frames = FrameSource.live(input, LiveOptions.builder()
                     .optSize(trained.classifier().input().decodeSize())
                     .optTimeout(Duration.ofSeconds(timeout)).build())) {
            StreamClassifier.Summary s = trained.classifier().run(frames, every, top, step -> {
                out.println(json ? Json.line(step) : describe(step));
                out.flush();
            });
            if (!json) {
                out.printf(Locale.ROOT, "%d frames, %d dropped, %.1f ms per frame%n", s.frames(), s.dropped(),
                        s.meanLatencyMs());
            }
        } catch (VideoDecodeException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("kinema: " + e.getMessage());
            return 2;
        }
        return 0;
    }

    static String describe(StreamClassifier.Step s) {
        return String.format(Locale.ROOT, "frame %d (%.2f s): %s  [%.1f ms, %.1f fps]", s.frame(), s.seconds(),
                s.top().stream().map(p -> String.format(Locale.ROOT, "%s %.1f%%", p.label(), 100 * p.probability()))
                        .collect(Collectors.joining(", ")), s.latencyMs(), s.framesPerSecond());
    }
}

package dev.kinema.cli;

import dev.kinema.flow.ComputedFlow;
import dev.kinema.flow.FlowColors;
import dev.kinema.flow.FlowFields;
import dev.kinema.flow.FlowMethod;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import dev.kinema.viz.ContactSheet;
import dev.kinema.viz.GifWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kinema flow-viz}: flow on the HSV colour wheel next to the RGB frames. */
@Command(name = "flow-viz", mixinStandardHelpOptions = true,
        description = {"Render optical flow on the HSV colour wheel (hue = direction, saturation = magnitude,",
            "white = still) next to each RGB frame: an animated GIF, or a PNG sheet of the pairs."})
final class FlowVizCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "VIDEO")
    Path video;

    @Option(names = "--out", paramLabel = "FILE.gif|FILE.png", required = true,
            description = "Output: .gif (animated, one panel per frame) or .png (a sheet of all panels).")
    Path out;

    @Option(names = "--method", defaultValue = "tvl1", description = "Flow method (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--size", paramLabel = "PX", defaultValue = "128", description = "Short side, px (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--start", defaultValue = "0", description = "First frame (default: ${DEFAULT-VALUE}).")
    int start;

    @Option(names = "--step", defaultValue = "1", description = "Frames between the ends of a field (default: ${DEFAULT-VALUE}).")
    int step;

    @Option(names = "--pairs", paramLabel = "N", defaultValue = "16",
            description = "Flow fields shown, fewer if the video ends (default: ${DEFAULT-VALUE}).")
    int pairs;

    @Option(names = "--fps", defaultValue = "5", description = "GIF frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Override
    public Integer call() {
        String name = out.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean gif = name.endsWith(".gif");
        if (!gif && !name.endsWith(".png")) {
            throw new ParameterException(spec.commandLine(), "--out must end in .gif or .png, got " + out);
        }
        if (pairs < 1 || step < 1 || start < 0) {
            throw new ParameterException(spec.commandLine(), "--pairs and --step must be at least 1, --start at least 0");
        }
        FlowMethod m = FlowMethod.parse(method);
        VideoFrames frames;
        try (VideoReader reader = VideoReader.open(video, ReaderOptions.builder().optSize(FrameSize.shortSide(size)).build())) {
            int last = reader.frameCount() - 1;
            if (start + step > last) {
                throw new IllegalArgumentException(video + ": " + reader.frameCount() + " frames, no flow field starts at frame "
                        + start + " with step " + step);
            }
            int n = Math.min(pairs, (last - start) / step) + 1;
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i * step;
            }
            frames = reader.read(idx);
        }
        FlowFields flow = ComputedFlow.between(frames, m, step);
        float max = FlowColors.robustMax(flow);
        VideoFrames panels = FlowColors.sideBySide(frames, flow, max);
        Path written = gif ? new GifWriter(fps).write(panels, out)
                : ContactSheet.builder().optColumns(panels.width() > 400 ? 1 : 2).build().write(panels, out);
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %d %s flow fields at %dx%d, saturation at %.2f px%n",
                written, flow.fields(), m.id(), flow.width(), flow.height(), max);
        return 0;
    }
}

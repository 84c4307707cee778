package dev.kinema.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.sampling.SampledClip;
import dev.kinema.data.sampling.VideoTimeline;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.synth.IndexCodedVideo;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoInfo;
import dev.kinema.video.VideoReader;
import dev.kinema.video.VideoWriter;
import dev.kinema.viz.ContactSheet;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema demo}: the main job on a built-in default. Until training lands it shows the video
 * pipeline end to end: it renders a video whose frames show their own index, probes it, samples
 * test-time clips the way MMAction2 does, decodes them at model size, checks that every decoded
 * frame is the one asked for, makes the normalised C×T×H×W tensors a model would see, and writes a
 * contact sheet of the first clip.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Kinema's main job on a built-in default (today: decode and sample a generated video).")
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", defaultValue = "kinema-out/demo", description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--clips", defaultValue = "4", description = "Test clips to sample (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--frames", defaultValue = "8", description = "Frames per clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Override
    public Integer call() {
        PrintWriter o = spec.commandLine().getOut();
        Path video = out.resolve("counting.mp4");
        o.println("1. Rendering a 10 s, 25 fps video whose every frame shows its own index: " + video);
        IndexCodedVideo.write(VideoWriter.builder(video).setSize(320, 240).optFps(25).optGopSize(25), 250);

        ReaderOptions options = ReaderOptions.builder().optSize(FrameSize.shortSide(128)).build();
        try (VideoReader reader = VideoReader.open(video, options); NDManager manager = NDManager.newBaseManager()) {
            VideoInfo info = reader.info();
            o.printf(Locale.ROOT, "2. Probed: %s %dx%d, %.1f fps, %d frames, %.1f s%n", info.videoCodec(),
                    info.width(), info.height(), info.fps(), info.frames(), info.durationSeconds());

            ClipSampler sampler = ClipSamplers.builder().mode("uniform").test(true)
                    .clipLen(frames).frameStride(4).clips(clips).build();
            List<SampledClip> sampled = sampler.sample(VideoTimeline.of(info), ClipSamplers.rng(0));
            o.printf(Locale.ROOT, "3. Sampled %d test clips of %d frames at stride 4 (MMAction2 SampleFrames, test mode)%n",
                    sampled.size(), frames);

            Crop crop = Crop.center(112);
            ToTensor toTensor = new ToTensor(Normalization.KINETICS, Layout.CTHW);
            VideoFrames first = null;
            int wrong = 0;
            for (SampledClip clip : sampled) {
                VideoFrames decoded = reader.read(clip.frameIndices());
                int[] shown = IndexCodedVideo.decodeAll(decoded);
                boolean exact = Arrays.equals(shown, clip.frameIndices());
                wrong += exact ? 0 : 1;
                VideoFrames cropped = crop.apply(decoded, null);
                try (NDArray tensor = toTensor.apply(manager, cropped)) {
                    o.printf(Locale.ROOT, "   clip %d  %.2f-%.2f s  frames %s  -> tensor %s  %s%n", clip.index(),
                            clip.startSeconds(), clip.endSeconds(), Arrays.toString(clip.frameIndices()),
                            tensor.getShape(), exact ? "frames verified" : "WRONG FRAMES " + Arrays.toString(shown));
                }
                if (first == null) {
                    first = cropped;
                }
            }
            o.printf("4. Decoder work: %s%n", reader.stats());
            Path sheet = ContactSheet.defaults().write(first, out.resolve("clip0.png"));
            o.println("5. Contact sheet of clip 0, as the model sees it: " + sheet);
            o.println(wrong == 0 ? "Every decoded frame is the frame that was asked for."
                    : wrong + " clip(s) decoded the wrong frames.");
            return wrong == 0 ? 0 : 1;
        }
    }
}

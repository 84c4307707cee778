package dev.kinema.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.sampling.FrameStride;
import dev.kinema.data.sampling.SampledClip;
import dev.kinema.data.sampling.SamplingMode;
import dev.kinema.data.sampling.VideoTimeline;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kinema sample}: shows, as JSON, which frames a clip sampler picks from a video of a given length. */
@Command(
        name = "sample",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Show, as JSON, which frames a clip sampler picks from a video of N frames.",
            "Modes after MMAction2 1.x: random, uniform, tsn, dense.",
            "Modes after PyTorchVideo: sliding, constant, random-window.",
            "Frame indices are 0-based; see docs/sampling.md."
        })
final class SampleCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--total-frames", required = true, paramLabel = "N", description = "Frames in the video.")
    int totalFrames;

    @Option(names = "--fps", paramLabel = "F", defaultValue = "30", description = "The video's frame rate (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "random",
            description = "Sampling mode, one of those above (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--test", description = "Test (evaluation) mode: deterministic clips.")
    boolean test;

    @Option(names = "--clip-len", paramLabel = "L", defaultValue = "8",
            description = "Frames per clip; per segment snippet for tsn (default: ${DEFAULT-VALUE}).")
    int clipLen;

    @Option(names = "--stride", paramLabel = "S", description = "Source frames between a clip's frames (default: 1).")
    Integer stride;

    @Option(names = "--target-fps", paramLabel = "T",
            description = "Instead of --stride: resample to T fps, stride = max(1, round(F / T)).")
    Double targetFps;

    @Option(names = "--clips", paramLabel = "K", defaultValue = "1",
            description = "Clips per video; segments for tsn; clips per window position for dense (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--seed", paramLabel = "X", defaultValue = "0", description = "Random seed for train mode (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--window-seconds", paramLabel = "W",
            description = "sliding/constant/random-window: window length (default: clip-len * stride / fps).")
    Double windowSeconds;

    @Option(names = "--stride-seconds", paramLabel = "S", description = "sliding: seconds between window starts (default: the window).")
    Double strideSeconds;

    @Option(names = "--backpad", description = "sliding: pull a last partial window back to end at the video's end.")
    boolean backpad;

    @Option(names = "--twice-sample", description = "tsn/uniform/random with --test: twice the clips (clip length 1: each segment's centre, then its start, as TSM tests; longer clips: 2K clips spread over the video, as MMAction2).")
    boolean twiceSample;

    @Option(names = "--sample-range", paramLabel = "R", defaultValue = "64",
            description = "dense: frames the clips are packed into (default: ${DEFAULT-VALUE}).")
    int sampleRange;

    @Option(names = "--sample-positions", paramLabel = "P", defaultValue = "10",
            description = "dense --test: window positions (default: ${DEFAULT-VALUE}).")
    int samplePositions;

    @Override
    public Integer call() throws JsonProcessingException {
        require(totalFrames >= 1, "--total-frames must be >= 1 (got " + totalFrames + ")");
        require(fps > 0 && !Double.isInfinite(fps), "--fps must be a number > 0 (got " + fps + ")");
        require(clipLen >= 1, "--clip-len must be >= 1 (got " + clipLen + ")");
        require(clips >= 1, "--clips must be >= 1 (got " + clips + ")");
        require(stride == null || targetFps == null, "give --stride or --target-fps, not both");
        require(stride == null || stride >= 1, "--stride must be >= 1 (got " + stride + ")");
        require(targetFps == null || (targetFps > 0 && !targetFps.isInfinite()),
                "--target-fps must be a number > 0 (got " + targetFps + ")");
        require(windowSeconds == null || (windowSeconds > 0 && !windowSeconds.isInfinite()),
                "--window-seconds must be a number > 0 (got " + windowSeconds + ")");
        require(strideSeconds == null || (strideSeconds > 0 && !strideSeconds.isInfinite()),
                "--stride-seconds must be a number > 0 (got " + strideSeconds + ")");
        require(sampleRange >= 1, "--sample-range must be >= 1 (got " + sampleRange + ")");
        require(samplePositions >= 1, "--sample-positions must be >= 1 (got " + samplePositions + ")");

        FrameStride frameStride = targetFps != null ? FrameStride.ofTargetFps(targetFps) : FrameStride.ofFrames(stride == null ? 1 : stride);
        ClipSamplers.Builder builder = ClipSamplers.builder()
                .mode(mode)
                .test(test)
                .clipLen(clipLen)
                .stride(frameStride)
                .clips(clips)
                .windowSeconds(windowSeconds)
                .strideSeconds(strideSeconds)
                .backpad(backpad)
                .twiceSample(twiceSample)
                .sampleRange(sampleRange)
                .samplePositions(samplePositions);
        ClipSampler sampler = builder.build();
        VideoTimeline video = new VideoTimeline(totalFrames, fps);
        List<SampledClip> chosen = sampler.sample(video, ClipSamplers.rng(seed));

        PrintWriter out = spec.commandLine().getOut();
        out.println(render(builder, sampler, video, frameStride, chosen));
        out.flush();
        return 0;
    }

    private String render(ClipSamplers.Builder builder, ClipSampler sampler, VideoTimeline video,
            FrameStride frameStride, List<SampledClip> chosen) throws JsonProcessingException {
        SamplingMode m = builder.mode();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("mode", m.cliName());
        root.put("test_mode", !sampler.isRandom());
        root.put("follows", m.peer());
        ObjectNode v = root.putObject("video");
        v.put("total_frames", video.frames());
        v.put("fps", video.fps());
        v.put("duration_seconds", seconds(video.durationSeconds()));
        ObjectNode p = root.putObject("params");
        p.put("clip_len", clipLen);
        p.put("frame_stride", frameStride.resolve(video.fps()));
        if (frameStride.isTargetFps()) {
            p.put("target_fps", frameStride.targetFps());
        }
        p.put("clips", clips);
        if (sampler.isRandom()) {
            p.put("seed", seed);
        }
        switch (m) {
            case SLIDING -> {
                p.put("window_seconds", seconds(builder.windowSeconds(video)));
                p.put("stride_seconds", seconds(builder.strideSeconds(video)));
                p.put("backpad", backpad);
            }
            case CONSTANT, RANDOM_WINDOW -> p.put("window_seconds", seconds(builder.windowSeconds(video)));
            case DENSE -> {
                p.put("sample_range", sampleRange);
                if (test) {
                    p.put("sample_positions", samplePositions);
                }
            }
            default -> {
                if (twiceSample) {
                    p.put("twice_sample", true);
                }
            }
        }
        root.put("num_clips", chosen.size());
        ArrayNode arr = root.putArray("clips");
        for (SampledClip c : chosen) {
            ObjectNode o = arr.addObject();
            o.put("index", c.index());
            ArrayNode f = o.putArray("frame_indices");
            for (int i : c.frameIndices()) {
                f.add(i);
            }
            o.put("start_seconds", seconds(c.startSeconds()));
            o.put("end_seconds", seconds(c.endSeconds()));
        }
        DefaultPrettyPrinter pretty = new DefaultPrettyPrinter(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        return Json.MAPPER.writer(pretty).writeValueAsString(root);
    }

    /** Times to the nanosecond, which hides float noise such as 1.2999999999999998 without losing a frame. */
    private static double seconds(double t) {
        return Math.round(t * 1e9) / 1e9;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

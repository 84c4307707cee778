package dev.kinema.cli;

import dev.kinema.cards.ModelCard;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.train.TrainConfig;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How a run cuts its clips, shared by {@code kinema train} and {@code kinema import}: frames per
 * clip, the source frame rate (a stride or a target fps, not both), crop size and decode size.
 * Unset options keep the command's defaults (train: 8 frames at 112 pixels; import: the model's).
 */
final class ClipOptions {
    @Option(names = "--frames", paramLabel = "T", description = "Frames per clip (train: default 8; import: the model's default).")
    Integer frames;

    // A heading of its own: without one, picocli lists a mixin's group options twice in --help.
    @ArgGroup(exclusive = true, heading = "%nFrame rate (a stride or an fps, not both):%n")
    Rate rate;

    static final class Rate {
        @Option(names = "--stride", paramLabel = "S", description = "Source frames between clip frames (default 4).")
        Integer stride;

        @Option(names = "--fps", paramLabel = "F", description = "Resample videos to F frames/s instead of a stride.")
        Double fps;
    }

    @Option(names = "--size", paramLabel = "PX", description = "Crop size (train: default 112; import: the model's default).")
    Integer size;

    @Option(names = "--resize", paramLabel = "PX", description = "Short side frames are decoded to (default 8/7 of --size).")
    Integer resize;

    /**
     * A model card's input spec with the options that were given: frames, stride or fps, size and
     * resize (a new size without --resize decodes at 8/7 of it, short side).
     */
    ModelCard.Input override(ModelCard.Input in) {
        Integer stride = in.stride();
        Double fps = in.fps();
        if (rate != null && rate.stride != null) {
            stride = rate.stride;
            fps = null;
        }
        if (rate != null && rate.fps != null) {
            fps = rate.fps;
            stride = null;
        }
        int s = size != null ? size : in.size();
        List<Integer> r = resize != null ? List.of(resize)
                : size != null ? List.of(ModelInput.defaultResize(size)) : in.resize();
        return new ModelCard.Input(in.modality(), in.channels(), frames != null ? frames : in.frames(), stride, fps, s,
                r, in.crop(), in.mean(), in.std());
    }

    /** Sets the stride or fps, and the decode size, where given. Frames and size are the caller's. */
    void applyRateTo(TrainConfig.Builder b) {
        if (rate != null && rate.stride != null) {
            b.optStride(rate.stride);
        }
        if (rate != null && rate.fps != null) {
            b.optFps(rate.fps);
        }
        if (resize != null) {
            b.optResize(resize);
        }
    }
}

package dev.kinema.data.sampling;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The sampling strategies, by the names the CLI and configuration use. */
public enum SamplingMode {
    /** {@link SampleFramesSampler}: a random clip per equal share of the video in training; spread clips in testing. */
    RANDOM("random", "MMAction2 1.x SampleFrames (train: _get_train_clips; --test: _get_test_clips)"),
    /** {@link SampleFramesSampler} in test mode whatever the train/test flag: N evenly spread clips. */
    UNIFORM("uniform", "MMAction2 1.x SampleFrames(test_mode=True)"),
    /** {@link TsnSegmentSampler}: one snippet per equal segment, random in training, centred in testing. */
    TSN("tsn", "MMAction2 1.x SampleFrames(clip_len=1, num_clips=N) (TSN segment sampling)"),
    /** {@link DenseSampler}: clips packed into a 64-frame window, random or at 10 positions. */
    DENSE("dense", "MMAction2 1.x DenseSampleFrames"),
    /** {@link SlidingWindowSampler}: windows every hop seconds over an untrimmed video. */
    SLIDING("sliding", "PyTorchVideo 0.1.x UniformClipSampler(clip_duration, stride, backpad_last)"),
    /** {@link ConstantClipsSampler}: K windows per video at equal steps. */
    CONSTANT("constant", "PyTorchVideo 0.1.x ConstantClipsPerVideoSampler"),
    /** {@link RandomWindowSampler}: windows at uniformly random times (training); {@link ConstantClipsSampler} in test mode. */
    RANDOM_WINDOW("random-window", "PyTorchVideo 0.1.x RandomClipSampler (test: ConstantClipsPerVideoSampler) + UniformTemporalSubsample");

    private final String cliName;
    private final String peer;

    SamplingMode(String cliName, String peer) {
        this.cliName = cliName;
        this.peer = peer;
    }

    /** The mode's name on the command line and in configuration, e.g. {@code "tsn"}. */
    public String cliName() {
        return cliName;
    }

    /** The peer function this mode follows, for humans. */
    public String peer() {
        return peer;
    }

    /** The mode called {@code name} (case-insensitive; {@code _} and {@code -} are interchangeable). */
    public static SamplingMode parse(String name) {
        if (name != null) {
            String key = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (SamplingMode m : values()) {
                if (m.cliName.equals(key)) {
                    return m;
                }
            }
        }
        throw new IllegalArgumentException("unknown sampling mode '" + name + "'; expected one of " + names());
    }

    /** All mode names, comma-separated. */
    public static String names() {
        return Arrays.stream(values()).map(SamplingMode::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}

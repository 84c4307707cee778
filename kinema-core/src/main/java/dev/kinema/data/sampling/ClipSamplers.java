package dev.kinema.data.sampling;

import java.util.SplittableRandom;

/**
 * Creates {@link ClipSampler}s by mode name, for the CLI and the training loop:
 *
 * <pre>{@code
 * ClipSampler train = ClipSamplers.builder().mode("tsn").clips(8).build();
 * ClipSampler test  = ClipSamplers.builder().mode("tsn").clips(8).test(true).build();
 * List<SampledClip> clips = train.sample(new VideoTimeline(300, 30.0), ClipSamplers.rng(seed, epoch, videoIndex));
 * }</pre>
 *
 * <p>Defaults: clip length 8, frame stride 1, 1 clip, train mode, dense window 64 frames at 10 test
 * positions, window {@code clipLen * stride / fps}, hop equal to the window, no backpad. Options a mode
 * does not use are ignored, except {@code twiceSample}, which only {@code random}/{@code uniform}/{@code tsn}
 * in test mode accept. For {@code tsn} the clip length is the snippet length per segment and
 * {@code clips} the number of segments. {@code uniform}, {@code sliding} and {@code constant} are
 * deterministic in either mode; {@code random-window} in test mode becomes {@code constant}, the
 * evaluation sampler PyTorchVideo pairs with {@code RandomClipSampler}.
 */
public final class ClipSamplers {
    private ClipSamplers() {}

    public static Builder builder() {
        return new Builder();
    }

    /** A generator for {@code seed} alone. */
    public static SplittableRandom rng(long seed) {
        return new SplittableRandom(seed);
    }

    /**
     * A generator that depends only on {@code seed}, {@code epoch} and {@code videoIndex}, so a video's
     * clips in an epoch do not depend on which loader thread samples it or in what order.
     */
    public static SplittableRandom rng(long seed, long epoch, long videoIndex) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        h = mix(h + epoch * 0xBF58476D1CE4E5B9L);
        h = mix(h + videoIndex * 0x94D049BB133111EBL);
        return new SplittableRandom(h);
    }

    private static long mix(long z) { // SplitMix64 finaliser
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Collects the parameters of a sampler; {@link #build()} validates them. */
    public static final class Builder {
        private SamplingMode mode = SamplingMode.RANDOM;
        private boolean test;
        private int clipLen = 8;
        private FrameStride stride = FrameStride.ofFrames(1);
        private int clips = 1;
        private Double windowSeconds;
        private Double strideSeconds;
        private boolean backpad;
        private boolean twiceSample;
        private int sampleRange = DenseSampler.DEFAULT_SAMPLE_RANGE;
        private int samplePositions = DenseSampler.DEFAULT_SAMPLE_POSITIONS;

        private Builder() {}

        public Builder mode(SamplingMode mode) {
            if (mode == null) {
                throw new IllegalArgumentException("mode must not be null");
            }
            this.mode = mode;
            return this;
        }

        /** The mode by name: {@code random|uniform|tsn|dense|sliding|constant|random-window}. */
        public Builder mode(String name) {
            return mode(SamplingMode.parse(name));
        }

        /** Test (evaluation) mode: deterministic clips. */
        public Builder test(boolean test) {
            this.test = test;
            return this;
        }

        /** Frames per clip (per snippet for {@code tsn}). */
        public Builder clipLen(int clipLen) {
            this.clipLen = clipLen;
            return this;
        }

        /** Source frames between a clip's consecutive frames. */
        public Builder frameStride(int frames) {
            this.stride = FrameStride.ofFrames(frames);
            return this;
        }

        /** Instead of a frame stride: the rate to resample each video to (see {@link FrameStride}). */
        public Builder targetFps(double fps) {
            this.stride = FrameStride.ofTargetFps(fps);
            return this;
        }

        public Builder stride(FrameStride stride) {
            if (stride == null) {
                throw new IllegalArgumentException("stride must not be null");
            }
            this.stride = stride;
            return this;
        }

        /** Clips per video (segments for {@code tsn}; clips per window position for {@code dense}). */
        public Builder clips(int clips) {
            this.clips = clips;
            return this;
        }

        /** Window length for {@code sliding}, {@code constant}, {@code random-window}; null = clipLen * stride / fps. */
        public Builder windowSeconds(Double seconds) {
            this.windowSeconds = seconds;
            return this;
        }

        /** Hop between windows for {@code sliding}; null = the window length. */
        public Builder strideSeconds(Double seconds) {
            this.strideSeconds = seconds;
            return this;
        }

        /** {@code sliding}: pull a last partial window back to end at the video's end. */
        public Builder backpad(boolean backpad) {
            this.backpad = backpad;
            return this;
        }

        /** Test mode, clip length 1: also take each segment's start (TSM). */
        public Builder twiceSample(boolean twiceSample) {
            this.twiceSample = twiceSample;
            return this;
        }

        /** {@code dense}: frames the clips are packed into (default 64). */
        public Builder sampleRange(int frames) {
            this.sampleRange = frames;
            return this;
        }

        /** {@code dense}, test mode: window positions (default 10). */
        public Builder samplePositions(int positions) {
            this.samplePositions = positions;
            return this;
        }

        public SamplingMode mode() {
            return mode;
        }

        /** The window the time-window modes would use on {@code video}: as set, else {@code clipLen * stride / fps}. */
        public double windowSeconds(VideoTimeline video) {
            return WindowLength.resolve(WindowLength.check(windowSeconds), clipLen, stride, video);
        }

        /** The hop {@code sliding} would use on {@code video}: as set, else the window. */
        public double strideSeconds(VideoTimeline video) {
            return strideSeconds != null ? strideSeconds : windowSeconds(video);
        }

        public ClipSampler build() {
            if (twiceSample && !(test && (mode == SamplingMode.RANDOM || mode == SamplingMode.UNIFORM
                    || mode == SamplingMode.TSN))) {
                throw new IllegalArgumentException(
                        "twice-sample applies only to test mode of random, uniform or tsn (got mode " + mode
                                + (test ? "" : " in train mode") + ")");
            }
            return switch (mode) {
                case RANDOM -> new SampleFramesSampler(clipLen, stride, clips, test, twiceSample);
                case UNIFORM -> new SampleFramesSampler(clipLen, stride, clips, true, twiceSample);
                case TSN -> new TsnSegmentSampler(clips, clipLen, stride, test, twiceSample);
                case DENSE -> new DenseSampler(clipLen, stride, clips, sampleRange, samplePositions, test);
                case SLIDING -> new SlidingWindowSampler(clipLen, stride, windowSeconds, strideSeconds, backpad);
                case CONSTANT -> new ConstantClipsSampler(clipLen, stride, windowSeconds, clips);
                case RANDOM_WINDOW -> test
                        ? new ConstantClipsSampler(clipLen, stride, windowSeconds, clips)
                        : new RandomWindowSampler(clipLen, stride, windowSeconds, clips);
            };
        }
    }
}

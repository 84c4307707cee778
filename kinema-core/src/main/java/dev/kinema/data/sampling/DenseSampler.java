package dev.kinema.data.sampling;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Dense sampling: {@code clips} clips packed into one window of {@code sampleRange} frames (I3D/
 * Non-local style), the window placed at random in training and at {@code samplePositions} evenly
 * spaced places in testing.
 *
 * <p>Follows MMAction2 1.x {@code DenseSampleFrames} (defaults {@code sample_range=64},
 * {@code num_sample_positions=10}). With {@code N} frames, {@code K = clips}, {@code R = sampleRange}:
 * {@code pos = max(1, 1 + N - R)} window positions and {@code interval = floor(R / K)} frames between
 * clip starts.
 * <ul>
 *   <li><b>Train</b>: window start {@code w = 0} if {@code pos == 1}, else {@code U[0, pos - 1)};
 *       note the exclusive bound, as in MMAction2's {@code np.random.randint(0, pos - 1)}, so the last
 *       position is never drawn. Clip {@code i} starts at {@code (w + i * interval) mod N}.</li>
 *   <li><b>Test</b>: window starts {@code trunc(linspace(0, pos - 1, samplePositions))} (NumPy
 *       float64, last point exactly {@code pos - 1}); for each, the {@code K} clips as above, giving
 *       {@code samplePositions * K} clips ordered by window, then clip.</li>
 * </ul>
 * Frame {@code j} of a clip starting at {@code o} is {@code (o + j * stride) mod N} (loop).
 *
 * <p>Deliberate difference: randomness comes from the caller's generator, not NumPy's global state.
 */
public final class DenseSampler implements ClipSampler {
    public static final int DEFAULT_SAMPLE_RANGE = 64;
    public static final int DEFAULT_SAMPLE_POSITIONS = 10;

    private final int clipLen;
    private final FrameStride stride;
    private final int numClips;
    private final int sampleRange;
    private final int samplePositions;
    private final boolean testMode;

    public DenseSampler(int clipLen, FrameStride stride, int numClips, int sampleRange, int samplePositions, boolean testMode) {
        this.clipLen = TemporalIndex.requireAtLeast("clipLen", clipLen, 1);
        if (stride == null) {
            throw new IllegalArgumentException("stride must not be null");
        }
        this.stride = stride;
        this.numClips = TemporalIndex.requireAtLeast("numClips", numClips, 1);
        this.sampleRange = TemporalIndex.requireAtLeast("sampleRange", sampleRange, 1);
        this.samplePositions = TemporalIndex.requireAtLeast("samplePositions", samplePositions, 1);
        this.testMode = testMode;
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        int n = video.frames();
        int s = stride.resolve(video.fps());
        long positions = Math.max(1, 1L + n - sampleRange);
        long interval = sampleRange / numClips;
        long[] windowStarts;
        if (testMode) {
            windowStarts = numpyLinspaceTrunc(positions - 1, samplePositions);
        } else {
            if (rng == null) {
                throw new IllegalArgumentException("a training-mode sampler needs a random generator");
            }
            windowStarts = new long[] {positions == 1 ? 0 : rng.nextLong(positions - 1)};
        }
        long[] offsets = new long[windowStarts.length * numClips];
        for (int w = 0; w < windowStarts.length; w++) {
            for (int i = 0; i < numClips; i++) {
                offsets[w * numClips + i] = Math.floorMod(windowStarts[w] + i * interval, (long) n);
            }
        }
        return SampleFramesSampler.clips(video, offsets, clipLen, s);
    }

    /** {@code np.linspace(0, stop, num, dtype=int)} for {@code stop >= 0}: float64 {@code i * (stop / (num - 1))}, last = stop, truncated. */
    static long[] numpyLinspaceTrunc(long stop, int num) {
        long[] out = new long[num];
        if (num == 1) {
            return out;
        }
        double step = stop / (double) (num - 1);
        for (int i = 0; i < num; i++) {
            double y = step == 0 ? (i / (double) (num - 1)) * stop : i * step;
            out[i] = (long) y;
        }
        out[num - 1] = stop;
        return out;
    }

    @Override
    public boolean isRandom() {
        return !testMode;
    }

    @Override
    public String toString() {
        return "DenseSampler[clipLen=" + clipLen + ", " + stride + ", numClips=" + numClips + ", sampleRange="
                + sampleRange + ", samplePositions=" + samplePositions + ", testMode=" + testMode + "]";
    }
}

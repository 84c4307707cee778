package dev.kinema.data.sampling;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * {@code clips} clips of {@code clipLen} frames, {@code stride} apart: a random clip (or one per
 * equal share of the video) for training, evenly spread clips for testing.
 *
 * <p>Follows MMAction2 1.x {@code SampleFrames} ({@code mmaction/datasets/transforms/loading.py}) with
 * {@code out_of_bound_opt='loop'}, {@code temporal_jitter=False}, {@code keep_tail_frames=False}. With
 * {@code N} frames, {@code L = clipLen}, {@code s = stride}, {@code K = clips}:
 * <ul>
 *   <li><b>Train</b> ({@code _get_train_clips}): the clip spans {@code ori = L * s} frames and
 *       {@code avg = floor((N - ori + 1) / K)}. If {@code avg > 0}, clip {@code i} starts at
 *       {@code i * avg + U[0, avg)}. Otherwise, if {@code N > max(K, ori)}, the {@code K} starts are
 *       drawn from {@code U[0, N - ori + 1)} and sorted. Otherwise, if {@code avg == 0}, start
 *       {@code i} is {@code round_half_even(i * (N - ori + 1) / K)}. Otherwise every start is 0.</li>
 *   <li><b>Test</b> ({@code _get_test_clips}), with {@code L > 1}: {@code ori = (L - 1) * s + 1},
 *       {@code max = max(N - ori, 0)}; for {@code K > 1} start {@code i} is
 *       {@code round_half_even(i * max / (K - 1))}, so the first clip starts at 0 and the last ends at
 *       the last frame; for {@code K == 1} the single clip starts at {@code floor(max / 2)} (centred).
 *       With {@code twiceSample}, {@code 2K} clips are spread the same way (MMAction2's current
 *       {@code _get_test_clips}, which doubles the clip count before spreading: its test samples 40
 *       frames with {@code clip_len=12, num_clips=2} into 48 indices).</li>
 *   <li><b>Test</b> with {@code L == 1} (the "2D recognizer" branch): {@code avg = N / K} as a real
 *       number and frame {@code i} is {@code trunc(i * avg + avg / 2)}, the centre of the i-th of
 *       {@code K} equal segments; the stride is not used. With {@code twiceSample}, the segment starts
 *       {@code trunc(i * avg)} follow as {@code K} more clips (TSM's test protocol).</li>
 * </ul>
 * Frame {@code j} of a clip starting at {@code o} is {@code (o + j * s) mod N}: a video shorter than
 * the clip loops from its start.
 *
 * <p>Deliberate differences: randomness comes from the caller's generator rather than NumPy's global
 * state, so the draws (not the ranges) differ from MMAction2's for a given seed; indices are 0-based
 * (MMAction2 adds the dataset's {@code start_index}, 1 for some frame folders). Early MMAction2 1.x
 * releases spread twice-sampled {@code L > 1} clips over {@code K - 1} gaps while emitting {@code 2K}
 * starts, so half landed past the end and wrapped around; Kinema follows the later fix, which keeps
 * every clip inside the video.
 */
public final class SampleFramesSampler implements ClipSampler {
    private final int clipLen;
    private final FrameStride stride;
    private final int numClips;
    private final boolean testMode;
    private final boolean twiceSample;

    public SampleFramesSampler(int clipLen, FrameStride stride, int numClips, boolean testMode, boolean twiceSample) {
        this.clipLen = TemporalIndex.requireAtLeast("clipLen", clipLen, 1);
        if (stride == null) {
            throw new IllegalArgumentException("stride must not be null");
        }
        this.stride = stride;
        this.numClips = TemporalIndex.requireAtLeast("numClips", numClips, 1);
        this.testMode = testMode;
        if (twiceSample && !testMode) {
            throw new IllegalArgumentException("twiceSample applies to test mode only");
        }
        this.twiceSample = twiceSample;
    }

    @Override
    public List<SampledClip> sample(VideoTimeline video, RandomGenerator rng) {
        int n = video.frames();
        int s = stride.resolve(video.fps());
        long[] offsets;
        if (!testMode) {
            if (rng == null) {
                throw new IllegalArgumentException("a training-mode sampler needs a random generator");
            }
            offsets = trainOffsets(n, (long) clipLen * s, numClips, rng);
        } else if (clipLen == 1) {
            offsets = segmentCentres(n, numClips, twiceSample);
        } else {
            offsets = spreadOffsets(n, (long) (clipLen - 1) * s + 1, twiceSample ? 2 * numClips : numClips);
        }
        return clips(video, offsets, clipLen, s);
    }

    /** MMAction2 1.x {@code SampleFrames._get_train_clips} without {@code keep_tail_frames}; {@code ori} = frames one clip spans. */
    static long[] trainOffsets(int n, long ori, int k, RandomGenerator rng) {
        long[] offsets = new long[k];
        long room = n - ori + 1; // number of valid starts; may be <= 0
        long avg = Math.floorDiv(room, (long) k);
        if (avg > 0) {
            for (int i = 0; i < k; i++) {
                offsets[i] = i * avg + rng.nextLong(avg);
            }
        } else if (n > Math.max(k, ori)) {
            for (int i = 0; i < k; i++) {
                offsets[i] = rng.nextLong(room);
            }
            Arrays.sort(offsets);
        } else if (avg == 0) {
            double ratio = room / (double) k;
            for (int i = 0; i < k; i++) {
                offsets[i] = (long) Math.rint(i * ratio); // np.around: halves to even
            }
        } // else: all zeros
        return offsets;
    }

    /** MMAction2 1.x test mode, clip_len == 1: centres of K equal segments, then (twice) their starts. */
    static long[] segmentCentres(int n, int k, boolean twice) {
        double avg = n / (double) k;
        long[] offsets = new long[twice ? 2 * k : k];
        for (int i = 0; i < k; i++) {
            offsets[i] = (long) (i * avg + avg / 2.0);
            if (twice) {
                offsets[k + i] = (long) (i * avg);
            }
        }
        return offsets;
    }

    /** MMAction2 1.x test mode, clip_len > 1: K starts spread over [0, max(N - ori, 0)]. */
    static long[] spreadOffsets(int n, long ori, int k) {
        long max = Math.max(n - ori, 0);
        long[] offsets = new long[k];
        if (k == 1) {
            offsets[0] = max / 2;
            return offsets;
        }
        double between = max / (double) (k - 1);
        for (int i = 0; i < k; i++) {
            offsets[i] = (long) Math.rint(i * between); // np.round: halves to even
        }
        return offsets;
    }

    /** Clips from offsets, looped into range, with times spanning first to just after last frame. */
    static List<SampledClip> clips(VideoTimeline video, long[] offsets, int clipLen, int stride) {
        List<SampledClip> out = new ArrayList<>(offsets.length);
        long span = (long) (clipLen - 1) * stride + 1;
        for (int i = 0; i < offsets.length; i++) {
            long o = Math.floorMod(offsets[i], (long) video.frames());
            out.add(new SampledClip(i, TemporalIndex.loopedClip(o, clipLen, stride, video.frames()),
                    video.secondsOf(o), video.secondsOf(o + span)));
        }
        return List.copyOf(out);
    }

    @Override
    public boolean isRandom() {
        return !testMode;
    }

    @Override
    public String toString() {
        return "SampleFramesSampler[clipLen=" + clipLen + ", " + stride + ", numClips=" + numClips
                + ", testMode=" + testMode + (twiceSample ? ", twiceSample" : "") + "]";
    }
}

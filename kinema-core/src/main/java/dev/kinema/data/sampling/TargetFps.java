package dev.kinema.data.sampling;

/**
 * Frame-index arithmetic for "T frames at exactly a target fps", behind {@code kinema clip}: the
 * stride may be fractional, so the clip plays at the rate asked for. The training samplers instead
 * follow MMAction2's whole-frame interval ({@link FrameStride#ofTargetFps}) or PyTorchVideo's time
 * windows ({@link TemporalIndex#windowFrames}). It assumes a constant frame rate (frame {@code i}
 * shows at {@code i / videoFps}).
 *
 * <ul>
 *   <li>The stride between chosen source frames is {@code videoFps / targetFps} source frames; it may
 *       be fractional (25 fps to 4 fps is 6.25), and frame {@code i} of the clip is
 *       {@code start + floor(i * stride)}. A target fps above the video's repeats frames.
 *   <li>A centred clip starts where MMAction2's test-mode {@code SampleFrames} puts a single clip:
 *       {@code int((total - count * stride + 1) / 2)}, or 0 when the clip is longer than the video.
 *   <li>Indices past the end wrap around ({@code index mod total}), MMAction2's
 *       {@code out_of_bound_opt='loop'}, so a short video still gives {@code count} frames.
 * </ul>
 */
public final class TargetFps {
    private static final double EPS = 1e-9;

    private TargetFps() {}

    /** Source frames between two chosen frames. */
    public static double stride(double videoFps, double targetFps) {
        if (!(videoFps > 0) || !(targetFps > 0) || Double.isInfinite(videoFps) || Double.isInfinite(targetFps)) {
            throw new IllegalArgumentException("fps must be positive, got video " + videoFps + ", target " + targetFps);
        }
        return videoFps / targetFps;
    }

    /** The first frame of a clip of {@code count} frames at {@code stride}, centred in {@code totalFrames}. */
    public static int centeredStart(int totalFrames, int count, double stride) {
        double span = count * stride;
        if (totalFrames > span - 1) {
            return (int) Math.floor((totalFrames - span + 1) / 2 + EPS);
        }
        return 0;
    }

    /** The source frame shown at {@code seconds} (floor of {@code seconds * videoFps}). */
    public static int frameAt(double seconds, double videoFps) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("start time must be >= 0 seconds, got " + seconds);
        }
        return (int) Math.floor(seconds * videoFps + EPS);
    }

    /** {@code count} indices from {@code start}, {@code stride} apart, wrapped into {@code [0, totalFrames)}. */
    public static int[] indices(int totalFrames, int start, int count, double stride) {
        if (totalFrames <= 0) {
            throw new IllegalArgumentException("the video has no frames");
        }
        if (count <= 0) {
            throw new IllegalArgumentException("need at least one frame, got " + count);
        }
        if (start < 0) {
            throw new IllegalArgumentException("start frame must be >= 0, got " + start);
        }
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            long idx = start + (long) Math.floor(i * stride + EPS);
            out[i] = (int) (idx % totalFrames);
        }
        return out;
    }

    /**
     * {@code count} frames at {@code targetFps} from a video of {@code totalFrames} at
     * {@code videoFps}: centred when {@code startSeconds} is null, otherwise from the frame shown at
     * that time (which must be inside the video).
     */
    public static int[] choose(int totalFrames, double videoFps, int count, double targetFps, Double startSeconds) {
        double stride = stride(videoFps, targetFps);
        int start;
        if (startSeconds == null) {
            start = centeredStart(totalFrames, count, stride);
        } else {
            start = frameAt(startSeconds, videoFps);
            if (start >= totalFrames) {
                throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                        "start %.2f s is past the end of the video (%d frames, %.2f s)",
                        startSeconds, totalFrames, totalFrames / videoFps));
            }
        }
        return indices(totalFrames, start, count, stride);
    }
}

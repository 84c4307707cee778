package dev.kinema.data.sampling;

import java.util.Arrays;

/**
 * One clip chosen by a {@link ClipSampler}.
 *
 * <p>{@code frameIndices} are 0-based presentation-order indices into the video, in the order the
 * clip's frames are to be stacked. They always lie in {@code [0, frames)}, but may repeat or run
 * backwards where a sampler loops a short video (MMAction2's {@code out_of_bound_opt='loop'}) or pads
 * it by nearest-neighbour repetition (PyTorchVideo's {@code uniform_temporal_subsample}).
 *
 * <p>{@code startSeconds}/{@code endSeconds} describe the stretch of the source timeline the clip
 * was drawn from, as the followed peer defines it: for frame-index samplers, from the clip's first
 * sampled frame to just after its last one before any looping ({@code offset / fps} to
 * {@code (offset + (clipLen - 1) * stride + 1) / fps}); for time-window samplers, the window itself
 * (PyTorchVideo's {@code clip_start_sec}, {@code clip_end_sec}). The end may lie past the end of the
 * video when the clip is longer than the video.
 *
 * @param index the clip's position in the list the sampler returned (PyTorchVideo's {@code clip_index})
 */
public record SampledClip(int index, int[] frameIndices, double startSeconds, double endSeconds) {

    public SampledClip {
        frameIndices = frameIndices.clone();
    }

    /** A copy of the frame indices. */
    @Override
    public int[] frameIndices() {
        return frameIndices.clone();
    }

    /** Number of frames in the clip. */
    public int length() {
        return frameIndices.length;
    }

    /** Frame index at position {@code t} of the clip. */
    public int frameAt(int t) {
        return frameIndices[t];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampledClip c
                && index == c.index
                && Arrays.equals(frameIndices, c.frameIndices)
                && Double.compare(startSeconds, c.startSeconds) == 0
                && Double.compare(endSeconds, c.endSeconds) == 0;
    }

    @Override
    public int hashCode() {
        int h = Integer.hashCode(index);
        h = 31 * h + Arrays.hashCode(frameIndices);
        h = 31 * h + Double.hashCode(startSeconds);
        return 31 * h + Double.hashCode(endSeconds);
    }

    @Override
    public String toString() {
        return "SampledClip[index=" + index + ", frames=" + Arrays.toString(frameIndices)
                + ", start=" + startSeconds + "s, end=" + endSeconds + "s]";
    }
}

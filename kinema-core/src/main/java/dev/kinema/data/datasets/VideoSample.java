package dev.kinema.data.datasets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One annotated sample: a video file (or a {@link FrameFolder}), its class and its split.
 *
 * <p>{@code startSeconds}/{@code endSeconds} bound the part of <em>the file</em> that is the
 * sample; both are NaN when the whole file is. A Kinetics clip already trimmed to its 10 seconds
 * is a whole file (NaN); the same row read against an untrimmed {@code youtube_id.mp4} carries the
 * CSV's {@code time_start}/{@code time_end}.
 *
 * @param path the video file, or the frame folder's directory
 * @param label 0-based class index into {@link VideoDataset#labels()}, or -1 when unlabeled (a test
 *     split whose annotations are held out)
 * @param labelName the class name, or null when unlabeled
 * @param split the split this sample is in ("train", "val", "test", "all", ...)
 * @param startSeconds where the sample starts in the file, or NaN for the whole file
 * @param endSeconds where the sample ends in the file, or NaN for the whole file
 * @param source the annotation file this sample was read from, or null for folder layouts
 * @param line the 1-based line of {@code source} (of the entry, for JSON), or -1 if none
 * @param frames the frames, when the sample is a folder of extracted frames; null for a video file
 */
public record VideoSample(Path path, int label, String labelName, String split, double startSeconds,
        double endSeconds, Path source, int line, FrameFolder frames) {

    public VideoSample {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(split, "split");
        if (label < -1) {
            throw new IllegalArgumentException("label must be >= -1, got " + label);
        }
        if ((label == -1) != (labelName == null)) {
            throw new IllegalArgumentException("label " + label + " and labelName " + labelName
                    + " must both be given or both be absent");
        }
        if (Double.isNaN(startSeconds) != Double.isNaN(endSeconds)) {
            throw new IllegalArgumentException("startSeconds and endSeconds must both be NaN or both be set");
        }
        if (!Double.isNaN(startSeconds) && !(startSeconds >= 0 && endSeconds >= startSeconds)) {
            throw new IllegalArgumentException("bad time range " + startSeconds + ".." + endSeconds);
        }
    }

    /** A whole video file with no annotation file behind it (folder layouts). */
    public static VideoSample ofFile(Path path, int label, String labelName, String split) {
        return new VideoSample(path, label, labelName, split, Double.NaN, Double.NaN, null, -1, null);
    }

    /** A whole video file read from line {@code line} of {@code source}. */
    public static VideoSample ofFile(Path path, int label, String labelName, String split, Path source, int line) {
        return new VideoSample(path, label, labelName, split, Double.NaN, Double.NaN, source, line, null);
    }

    /** A folder of frames. */
    public static VideoSample ofFrames(FrameFolder frames, int label, String labelName, String split, Path source,
            int line) {
        return new VideoSample(frames.dir(), label, labelName, split, Double.NaN, Double.NaN, source, line, frames);
    }

    public boolean isLabeled() {
        return label >= 0;
    }

    /** True when the sample is a whole file rather than a time range in it. */
    public boolean isWholeFile() {
        return Double.isNaN(startSeconds);
    }

    public boolean isFrameFolder() {
        return frames != null;
    }

    /** This sample restricted to {@code [start, end]} seconds of its file. */
    public VideoSample withTimes(double start, double end) {
        return new VideoSample(path, label, labelName, split, start, end, source, line, frames);
    }

    /**
     * Where the sample came from, for messages about it: {@code source:line} when it was read from
     * an annotation file, else its path.
     */
    public String origin() {
        if (source == null) {
            return path.toString();
        }
        return line > 0 ? source + ":" + line : source.toString();
    }
}

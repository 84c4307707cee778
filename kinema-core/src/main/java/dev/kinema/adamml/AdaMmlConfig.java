package dev.kinema.adamml;

import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The shape of an AdaMML network and its inputs: {@code segments} segments a video, each seen as
 * one {@code size}² RGB frame, a stack of {@code flowFields} flow fields and {@code melFrames}
 * log-mel frames (64 mels); recognition nets of {@code rgbWidth}, {@code flowWidth} and
 * {@code audioWidth} first-layer channels; a policy MLP of {@code policyHidden} units.
 */
public record AdaMmlConfig(List<String> labels, int segments, int size, int flowFields, int melFrames, int rgbWidth,
        int flowWidth, int audioWidth, int policyHidden) {
    /** The policy's RGB thumbnail side: the frame average-pooled to 8×8. */
    public static final int THUMBNAIL = 8;
    public static final int MELS = 64;

    public AdaMmlConfig {
        labels = List.copyOf(labels);
        if (labels.size() < 2) {
            throw new IllegalArgumentException("AdaMML needs at least 2 classes, got " + labels.size());
        }
        if (segments < 1 || flowFields < 1 || melFrames < 4 || policyHidden < 1) {
            throw new IllegalArgumentException("need segments, flow fields and policy units >= 1 and mel frames >= 4");
        }
        if (size < THUMBNAIL || size % THUMBNAIL != 0) {
            throw new IllegalArgumentException("the frame size must be a multiple of " + THUMBNAIL + ", got " + size);
        }
        if (rgbWidth < 1 || flowWidth < 1 || audioWidth < 1) {
            throw new IllegalArgumentException("the recognition nets' widths must be >= 1");
        }
    }

    /** Kinema's tiny default: 4 segments of 32², 2 flow fields, 32 mel frames; RGB and flow nets 4× wider than audio's. */
    public static AdaMmlConfig tiny(List<String> labels) {
        return new AdaMmlConfig(labels, 4, 32, 2, 32, 16, 16, 4, 32);
    }

    public int classes() {
        return labels.size();
    }

    /** Input channels of {@code m}'s recognition net. */
    public int channels(SegmentModality m) {
        return switch (m) {
            case RGB -> 3;
            case FLOW -> 2 * flowFields;
            case AUDIO -> 1;
        };
    }

    /** Height and width of {@code m}'s input plane. */
    public int[] plane(SegmentModality m) {
        return m == SegmentModality.AUDIO ? new int[] {MELS, melFrames} : new int[] {size, size};
    }

    public int width(SegmentModality m) {
        return switch (m) {
            case RGB -> rgbWidth;
            case FLOW -> flowWidth;
            case AUDIO -> audioWidth;
        };
    }

    /** Values of one segment's input of {@code m}. */
    public int valuesPerSegment(SegmentModality m) {
        int[] p = plane(m);
        return channels(m) * p[0] * p[1];
    }

    /** Policy features per segment: the 3×8×8 thumbnail and the 64 mel bands' means. */
    public int policyFeatures() {
        return 3 * THUMBNAIL * THUMBNAIL + MELS;
    }

    /** The input shapes for {@code videos} videos: RGB, flow and audio, each N×S×C×H×W. */
    public Shape[] inputShapes(int videos) {
        Shape[] shapes = new Shape[3];
        for (SegmentModality m : SegmentModality.values()) {
            int[] p = plane(m);
            shapes[m.ordinal()] = new Shape(videos, segments(), channels(m), p[0], p[1]);
        }
        return shapes;
    }
}

package dev.kinema.adamml;

/** The modalities the AdaMML policy may compute for a segment, in the order of its decisions. */
public enum SegmentModality {
    /** One RGB frame of the segment, 3×H×W. */
    RGB("rgb"),
    /** The stack of L optical-flow fields from that frame on, 2L×H×W (dx of every field, then dy). */
    FLOW("flow"),
    /** The segment's log-mel spectrogram, 1×64×A (A frames of 10 ms). */
    AUDIO("audio");

    private final String key;

    SegmentModality(String key) {
        this.key = key;
    }

    /** The name printed and written in {@code adamml.json}: rgb, flow or audio. */
    public String key() {
        return key;
    }
}

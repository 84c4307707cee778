package dev.kinema.data.loader;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.Locale;

/**
 * What a clip holds, and so how many channels it has.
 *
 * <ul>
 *   <li>{@link #RGB}: decoded frames, 3×T×H×W (every model but the flow streams);
 *   <li>{@link #FLOW}: a stack of T consecutive optical-flow fields, 2×T×H×W, channel 0 the
 *       horizontal and channel 1 the vertical displacement (the temporal stream);
 *   <li>{@link #RGB_FLOW}: both, packed along the channels, 5×T×H×W: channels 0–2 are frame
 *       {@code t}, channels 3–4 the flow field that starts at frame {@code t} (the two-stream
 *       network). Packing keeps one tensor per clip, so the same crop always cuts both modalities.
 * </ul>
 */
public enum Modality {
    RGB("rgb", 3),
    FLOW("flow", 2),
    RGB_FLOW("rgb+flow", 5);

    private final String key;
    private final int channels;

    Modality(String key, int channels) {
        this.key = key;
        this.channels = channels;
    }

    /** The name in configs: {@code rgb}, {@code flow} or {@code rgb+flow}. */
    public String key() {
        return key;
    }

    /** Channels of a clip: 3, 2 or 5. */
    public int channels() {
        return channels;
    }

    /** True when clips need optical flow. */
    public boolean needsFlow() {
        return this != RGB;
    }

    /** True when clips need decoded frames. */
    public boolean needsFrames() {
        return this != FLOW;
    }

    /**
     * The modality called {@code key} ({@code rgb}, {@code flow}, {@code rgb+flow}), or by its
     * constant's name ({@code RGB_FLOW}, as older config files spell it).
     */
    @JsonCreator
    public static Modality of(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        for (Modality m : values()) {
            if (m.key.equals(k) || m.name().equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown input modality '" + key + "'; known: rgb, flow, rgb+flow");
    }

    /** The modality of clips with {@code channels} channels. */
    public static Modality ofChannels(int channels) {
        for (Modality m : values()) {
            if (m.channels == channels) {
                return m;
            }
        }
        throw new IllegalArgumentException("no input modality has " + channels + " channels (rgb 3, flow 2, rgb+flow 5)");
    }

    @Override
    public String toString() {
        return key;
    }
}

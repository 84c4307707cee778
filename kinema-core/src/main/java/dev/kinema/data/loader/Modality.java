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
 *   <li>{@link #AUDIO}: the clip's sound as a log-mel spectrogram, 1×T×H×W: the T·H·W values hold
 *       {@code audio.PackedAudio}'s 64 mels × T·H·W/64 frames (10 ms each) of the clip's span, row
 *       by row (the audio networks);
 *   <li>{@link #RGB_AUDIO}: frames and sound, 4×T×H×W: channels 0–2 the frames, channel 3 the
 *       packed log-mel (the audio-visual networks). One tensor per clip, as for two-stream clips,
 *       so the loader, the tasks and the evaluators carry sound with no change.
 * </ul>
 */
public enum Modality {
    RGB("rgb", 3),
    FLOW("flow", 2),
    RGB_FLOW("rgb+flow", 5),
    AUDIO("audio", 1),
    RGB_AUDIO("rgb+audio", 4);

    private final String key;
    private final int channels;

    Modality(String key, int channels) {
        this.key = key;
        this.channels = channels;
    }

    /** The name in configs: {@code rgb}, {@code flow}, {@code rgb+flow}, {@code audio} or {@code rgb+audio}. */
    public String key() {
        return key;
    }

    /** Channels of a clip: 3, 2, 5, 1 or 4. */
    public int channels() {
        return channels;
    }

    /** True when clips need optical flow. */
    public boolean needsFlow() {
        return this == FLOW || this == RGB_FLOW;
    }

    /** True when clips need decoded frames (audio clips too: the frames give the clip its span and geometry). */
    public boolean needsFrames() {
        return this != FLOW;
    }

    /** True when the model sees the frames' pixels. */
    public boolean seesFrames() {
        return this == RGB || this == RGB_FLOW || this == RGB_AUDIO;
    }

    /** True when clips need their sound. */
    public boolean needsAudio() {
        return this == AUDIO || this == RGB_AUDIO;
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
        throw new IllegalArgumentException("unknown input modality '" + key + "'; known: rgb, flow, rgb+flow, audio, rgb+audio");
    }

    /** The modality of clips with {@code channels} channels. */
    public static Modality ofChannels(int channels) {
        for (Modality m : values()) {
            if (m.channels == channels) {
                return m;
            }
        }
        throw new IllegalArgumentException("no input modality has " + channels + " channels (rgb 3, flow 2, rgb+flow 5, audio 1, rgb+audio 4)");
    }

    @Override
    public String toString() {
        return key;
    }
}

package dev.kinema.data.loader;

import dev.kinema.audio.PackedAudio;

import ai.djl.ndarray.types.Shape;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.video.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one collate step: {@link Clip}s to the {@link ClipBatch} a model takes, laid out as its input
 * says ({@link ModelInput#collate}). Frames are normalised by the {@link ToTensor} here, the only
 * place bytes become floats; flow is already normalised. An RGB clip becomes 3×T×H×W (or T×3×H×W),
 * a flow clip 2×L×H×W, a two-stream clip 5×L×H×W: frame {@code t} in channels 0–2 and the field
 * that starts at it in channels 3–4. Boxes, segments and texts go into the batch beside the values,
 * one list per clip, for tasks that predict them. Sound is packed as a log-mel plane
 * ({@code audio.PackedAudio}): an audio clip is 1×T×H×W, an audio-visual one 4×T×H×W (frames in
 * channels 0–2, the log-mel in channel 3).
 */
public final class ClipCollate {
    private final Modality modality;
    private final ToTensor toTensor;

    public ClipCollate(Modality modality, ToTensor toTensor) {
        this.modality = Objects.requireNonNull(modality, "modality");
        this.toTensor = Objects.requireNonNull(toTensor, "toTensor");
        if (modality != Modality.RGB && toTensor.layout() != Layout.CTHW) {
            throw new IllegalArgumentException(modality + " clips are laid out C x T x H x W");
        }
    }

    public Modality modality() {
        return modality;
    }

    public ToTensor toTensor() {
        return toTensor;
    }

    /** The shape of one collated clip, without the batch axis. */
    public Shape shape(Clip clip) {
        if (modality == Modality.RGB) {
            return toTensor.shape(frames(clip));
        }
        return new Shape(modality.channels(), clip.length(), clip.height(), clip.width());
    }

    /**
     * {@code clips} as batch {@code index}: their values, labels, videos and clip indices.
     *
     * @throws IllegalStateException when the clips differ in shape
     * @throws IllegalArgumentException when a clip lacks a field this modality needs
     */
    public ClipBatch collate(int index, List<Clip> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to collate");
        }
        Clip first = clips.get(0);
        Shape one = shape(first);
        int per = Math.toIntExact(one.size());
        float[] values = new float[Math.multiplyExact(per, clips.size())];
        int[] labels = new int[clips.size()];
        int[] clipIndices = new int[clips.size()];
        List<VideoSample> samples = new ArrayList<>(clips.size());
        List<List<Clip.Box>> boxes = new ArrayList<>(clips.size());
        List<List<Clip.Segment>> segments = new ArrayList<>(clips.size());
        List<String> texts = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            Clip c = clips.get(i);
            if (!shape(c).equals(one)) {
                throw new IllegalStateException("clips of one batch must share a shape: " + c.source().video() + " is "
                        + shape(c) + ", " + first.source().video() + " is " + one
                        + " (add a crop or an exact decode size)");
            }
            write(c, values, i * per);
            labels[i] = c.source().label();
            clipIndices[i] = c.source().clipIndex();
            samples.add(c.source().sample());
            boxes.add(c.boxes());
            segments.add(c.segments());
            texts.add(c.text());
        }
        return new ClipBatch(index, values, new Shape(clips.size()).addAll(one), labels, List.copyOf(samples),
                clipIndices, boxes, segments, texts);
    }

    /** One clip's values from {@code base} on: the frames, then the flow planes or the log-mel plane. */
    private void write(Clip clip, float[] out, int base) {
        int frameValues = 0;
        if (modality.seesFrames()) {
            VideoFrames frames = frames(clip);
            toTensor.writeTo(frames, out, base);
            frameValues = frames.frames() * frames.frameBytes();
        }
        if (modality.needsFlow()) {
            if (clip.flow() == null) {
                throw new IllegalArgumentException(clip.source().video() + ": a " + modality + " clip needs flow");
            }
            float[] flow = clip.flow().data();
            System.arraycopy(flow, 0, out, base + frameValues, flow.length);
        }
        if (modality.needsAudio()) {
            if (clip.audio() == null) {
                throw new IllegalArgumentException(clip.source().video() + ": a " + modality + " clip needs its sound"
                        + " (decode with audio: ClipLoader.Builder.optAudio, ClipDecoder.withAudio)");
            }
            PackedAudio.pack(clip.audio(), out, base + frameValues, clip.length() * clip.height() * clip.width());
        }
    }

    private VideoFrames frames(Clip clip) {
        if (clip.frames() == null) {
            throw new IllegalArgumentException(clip.source().video() + ": a " + modality + " clip needs frames");
        }
        return clip.frames();
    }
}

package dev.kinema.adamml;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.kinema.audio.PackedAudio;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.Clip;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipDecoder;
import dev.kinema.data.loader.Modality;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.sampling.SamplingMode;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.flow.ComputedFlow;
import dev.kinema.flow.FlowMethod;
import dev.kinema.flow.FlowSettings;
import dev.kinema.flow.FlowSource;
import java.io.IOException;
import java.util.List;

/**
 * One video's segments as the three modalities' inputs, on the Java heap: {@code segments}
 * uniformly spaced clips of L + 1 frames (the test sampler, MMAction2's
 * {@code SampleFrames(test_mode=True)}), each decoded once by the clip pipeline as an RGB + flow
 * clip with its sound, then split into its first RGB frame (Kinetics-normalised), its L flow
 * fields and its log-mel ({@link PackedAudio}: A frames of 10 ms from the clip's start).
 *
 * @param starts each segment's start in the video, seconds
 * @param ends each segment's end, seconds
 * @param rgb S×3×H×W
 * @param flow S×2L×H×W: the dx planes of the L fields, then their dy planes
 * @param audio S×1×64×A
 */
public record SegmentInputs(VideoSample sample, double[] starts, double[] ends, float[] rgb, float[] flow, float[] audio) {
    /** Flow for the segments: Farneback at the frame size, computed on the fly. */
    public static FlowSource defaultFlow(AdaMmlConfig config) {
        return new ComputedFlow(FlowSettings.of(FlowMethod.FARNEBACK, config.size()));
    }

    /**
     * Decodes {@code sample}'s segments.
     *
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     * @throws IllegalArgumentException naming the file when it has no sound or too few frames
     */
    public static SegmentInputs decode(VideoSample sample, AdaMmlConfig config, FlowSource flow) throws IOException {
        int size = config.size();
        int fields = config.flowFields();
        ModelInput input = new ModelInput(fields, 1, null, size, size, Modality.RGB_FLOW, Normalization.KINETICS, size);
        ClipDecoder decoder = input.decoder(input.sampler().mode(SamplingMode.UNIFORM).test(true).clips(config.segments())
                .build(), flow).withAudio(PackedAudio.SAMPLE_RATE);
        List<Clip> clips = decoder.decode(sample, null);
        if (clips.size() != config.segments()) {
            throw new IllegalArgumentException(sample.path() + ": gave " + clips.size() + " segments, not "
                    + config.segments());
        }
        ClipBatch batch = input.collate().collate(0, clips); // S x 5 x L x H x W
        int plane = size * size;
        int perClip = 5 * fields * plane;
        int audioValues = config.valuesPerSegment(SegmentModality.AUDIO);
        float[] rgb = new float[config.segments() * 3 * plane];
        float[] flowValues = new float[config.segments() * 2 * fields * plane];
        float[] audio = new float[config.segments() * audioValues];
        double[] starts = new double[config.segments()];
        double[] ends = new double[config.segments()];
        for (int s = 0; s < config.segments(); s++) {
            int base = s * perClip;
            for (int c = 0; c < 3; c++) { // channel c of frame 0
                System.arraycopy(batch.values(), base + c * fields * plane, rgb, (s * 3 + c) * plane, plane);
            }
            // channels 3 (dx) and 4 (dy), each L fields of H x W, already in that order
            System.arraycopy(batch.values(), base + 3 * fields * plane, flowValues, s * 2 * fields * plane, 2 * fields * plane);
            starts[s] = clips.get(s).source().startSeconds();
            ends[s] = clips.get(s).source().endSeconds();
            PackedAudio.pack(clips.get(s).audio(), audio, s * audioValues, audioValues);
        }
        return new SegmentInputs(sample, starts, ends, rgb, flowValues, audio);
    }

    /** {@code videos} stacked as the network's RGB, flow and audio inputs, N×S×C×H×W each. */
    public static NDList batch(NDManager manager, List<SegmentInputs> videos, AdaMmlConfig config) {
        NDList out = new NDList();
        Shape[] shapes = config.inputShapes(videos.size());
        for (SegmentModality m : SegmentModality.values()) {
            int per = config.segments() * config.valuesPerSegment(m);
            float[] values = new float[videos.size() * per];
            for (int v = 0; v < videos.size(); v++) {
                System.arraycopy(videos.get(v).values(m), 0, values, v * per, per);
            }
            out.add(manager.create(values, shapes[m.ordinal()]));
        }
        return out;
    }

    /** The values of modality {@code m}. */
    public float[] values(SegmentModality m) {
        return switch (m) {
            case RGB -> rgb;
            case FLOW -> flow;
            case AUDIO -> audio;
        };
    }
}

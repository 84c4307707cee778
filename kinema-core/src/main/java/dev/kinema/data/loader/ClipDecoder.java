package dev.kinema.data.loader;

import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.sampling.ClipSampler;
import dev.kinema.data.sampling.SampledClip;
import dev.kinema.data.sampling.VideoTimeline;
import dev.kinema.flow.FlowSource;
import dev.kinema.flow.FlowVideo;
import dev.kinema.io.FloatTensor;
import dev.kinema.video.AudioReader;
import dev.kinema.video.AudioTrack;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The one place a video becomes {@link Clip}s: opens it, keeps to its annotated segment, samples
 * the clips and decodes their frames and, for flow input, their flow stacks, at the decode size.
 * The loader's workers, {@code eval.VideoClassifier} and anything serving clips later use it, so
 * RGB, flow and two-stream clips are made on one path.
 *
 * <p>A flow clip is a stack of L consecutive fields starting at the sampled clip's first frame
 * ({@link FlowStacks#firstField}); a two-stream clip adds the frame each field starts at. Only
 * frames with a field after them can start a stack, so flow input samples from those.
 */
public final class ClipDecoder {
    private final ReaderOptions readerOptions;
    private final ClipSampler sampler;
    private final Modality modality;
    private final FlowSource flowSource;
    private final int flowLength;
    private final FlowNormalization flowNormalization;
    private final int audioRate;

    /**
     * @param flowSource where flow comes from; required when {@code modality} holds flow
     * @param flowLength fields per stack (L), for flow input
     */
    public ClipDecoder(ReaderOptions readerOptions, ClipSampler sampler, Modality modality, FlowSource flowSource,
            int flowLength, FlowNormalization flowNormalization) {
        this(readerOptions, sampler, modality, flowSource, flowLength, flowNormalization, 0);
    }

    private ClipDecoder(ReaderOptions readerOptions, ClipSampler sampler, Modality modality, FlowSource flowSource,
            int flowLength, FlowNormalization flowNormalization, int audioRate) {
        this.audioRate = audioRate;
        this.readerOptions = Objects.requireNonNull(readerOptions, "readerOptions");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.modality = Objects.requireNonNull(modality, "modality");
        this.flowNormalization = Objects.requireNonNull(flowNormalization, "flowNormalization");
        if (modality.needsFlow() && (flowSource == null || flowLength < 1)) {
            throw new IllegalArgumentException(modality + " clips need a flow source and a stack length >= 1");
        }
        this.flowSource = flowSource;
        this.flowLength = flowLength;
    }

    /**
     * This decoder, also filling each clip's {@link Clip#audio}: the mono sound of its time span
     * ({@link Clip.Source#startSeconds} to {@link Clip.Source#endSeconds}) at {@code sampleRate}.
     * A video without sound is then an error naming it.
     */
    public ClipDecoder withAudio(int sampleRate) {
        if (sampleRate < 1) {
            throw new IllegalArgumentException("the audio sample rate must be at least 1, got " + sampleRate);
        }
        return new ClipDecoder(readerOptions, sampler, modality, flowSource, flowLength, flowNormalization, sampleRate);
    }

    /** What the clips hold. */
    public Modality modality() {
        return modality;
    }

    /**
     * The sampled clips of {@code sample}, untransformed, at the decode size, in sampling order.
     *
     * @param rng the sampler's randomness (null for test samplers)
     * @throws dev.kinema.video.VideoDecodeException naming the file when it cannot be read
     * @throws IOException when its flow cannot be read
     * @throws IllegalArgumentException when the sample cannot give a clip (a frame folder, a segment
     *     past the last flow field, too few flow fields)
     */
    public List<Clip> decode(VideoSample sample, RandomGenerator rng) throws IOException {
        List<Clip> out = new ArrayList<>();
        decode(sample, rng, Integer.MAX_VALUE, out::addAll);
        return out;
    }

    /**
     * As {@link #decode(VideoSample, RandomGenerator)}, handing the clips to {@code consumer}
     * {@code chunk} at a time, in sampling order, each chunk before the next is decoded: what a
     * caller that scores many clips of one video uses to keep its memory flat in their number.
     *
     * @param chunk clips per call of {@code consumer} (the last call may have fewer)
     */
    public void decode(VideoSample sample, RandomGenerator rng, int chunk, Consumer<List<Clip>> consumer) throws IOException {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        if (sample.isFrameFolder()) {
            throw new IllegalArgumentException("frame folders are not decoded by the clip loader yet");
        }
        FlowVideo flow = modality.needsFlow() ? flowSource.flowOf(sample.path()) : null;
        try (VideoReader reader = VideoReader.open(sample.path(), readerOptions)) {
            // An untrimmed video annotated with a segment is sampled within the segment only.
            int first = 0;
            int count = reader.frameCount();
            if (!sample.isWholeFile()) {
                first = Math.max(0, (int) Math.ceil(sample.startSeconds() * reader.fps()));
                int end = Math.min(count, (int) Math.ceil(sample.endSeconds() * reader.fps()));
                count = Math.max(1, end - first);
            }
            if (flow != null) {
                // Only frames that have a flow field after them can start a stack.
                count = FlowStacks.usableFrames(flow, first + count) - first;
                if (count < 1) {
                    throw new IllegalArgumentException("the annotated segment starts after the last flow field");
                }
            }
            VideoTimeline timeline = new VideoTimeline(count, reader.fps());
            double offsetSeconds = first / reader.fps();
            List<SampledClip> sampled = sampler.sample(timeline, rng);
            float[] sound = audioRate > 0 ? AudioReader.read(sample.path(), audioRate, true, readerOptions.timeout()).samples()[0] : null;
            List<Clip> part = new ArrayList<>(Math.min(chunk, sampled.size()));
            for (int c = 0; c < sampled.size(); c++) {
                SampledClip clip = sampled.get(c);
                int[] indices = clip.frameIndices();
                for (int i = 0; i < indices.length; i++) {
                    indices[i] += first;
                }
                Clip.Source source = new Clip.Source(sample, c, indices, clip.startSeconds() + offsetSeconds,
                        clip.endSeconds() + offsetSeconds, timeline.durationSeconds());
                Clip decoded = flow == null ? Clip.of(reader.read(indices), null, source) : stack(reader, flow, indices[0], source);
                part.add(sound == null ? decoded : withSound(decoded, sound));
                if (part.size() == chunk || c == sampled.size() - 1) {
                    consumer.accept(part);
                    part = new ArrayList<>(Math.min(chunk, sampled.size() - c - 1));
                }
            }
        }
    }

    /** {@code clip} with the sound of its time span, cut from the video's whole mono track {@code sound}. */
    private Clip withSound(Clip clip, float[] sound) {
        int from = Math.min(sound.length, (int) Math.round(clip.source().startSeconds() * audioRate));
        int to = Math.max(from, Math.min(sound.length, (int) Math.round(clip.source().endSeconds() * audioRate)));
        return clip.withAudio(new AudioTrack(new float[][] {Arrays.copyOfRange(sound, from, to)}, audioRate));
    }

    /** The flow stack (and for two-stream input the frames) starting at decoded frame {@code frame}. */
    private Clip stack(VideoReader reader, FlowVideo flow, int frame, Clip.Source source) {
        int height = reader.outputHeight();
        int width = reader.outputWidth();
        int k0 = FlowStacks.firstField(flow, frame, flowLength);
        VideoFrames frames = null;
        if (modality.needsFrames()) {
            frames = reader.read(FlowStacks.frameIndices(flow, k0, flowLength, reader.frameCount()));
            if (frames.height() != height || frames.width() != width) {
                throw new IllegalStateException("decoded " + frames + ", expected " + width + "x" + height);
            }
        }
        FloatTensor fields = FlowStacks.stack(flow, k0, flowLength, height, width, flowNormalization);
        return Clip.of(frames, fields, source);
    }
}

package dev.kinema.data.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.core.Linear;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.sampling.ClipSamplers;
import dev.kinema.data.sampling.SampledClip;
import dev.kinema.data.transforms.Compose;
import dev.kinema.data.transforms.Crop;
import dev.kinema.data.transforms.Flip;
import dev.kinema.data.transforms.Layout;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.data.transforms.ToTensor;
import dev.kinema.eval.EvalResult;
import dev.kinema.eval.Evaluator;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.io.FloatTensor;
import dev.kinema.synth.ClipSpec;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.testing.TrainingVideos;
import dev.kinema.video.AudioReader;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoFrames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one clip pipeline: a crop and a flip move a clip's frames, flow and boxes alike; the decoder
 * keeps to an annotated segment; collation lays out the modality and carries the boxes; a two-stream
 * epoch is the same for one worker or two.
 *
 * <p>And it makes exactly the tensors it made before it became one pipeline: a SHA-256 of
 * every batch's values, shape, labels, clip indices and videos, for the RGB, flow and two-stream
 * paths of the loader (random crops and flips, Kinetics normalisation, both layouts, an annotated
 * segment, several test clips per video), for {@link VideoClassifier#prepare} and for what
 * {@code eval.Evaluator} feeds the model (one and three crops). The digests in
 * {@code golden/clip-pipeline.txt} were written by the separate RGB and flow branches before the
 * refactor ({@code -Dkinema.writeClipGoldens=true} writes them again).
 */
class ClipPipelineTest {
    private static final int T = 2;
    private static final int H = 8;
    private static final int W = 10;
    private static final Path GOLDEN = Path.of("src/test/resources/golden/clip-pipeline.txt");
    private static final int L = 4;

    @TempDir
    static Path root;

    static List<VideoSample> videos;

    @BeforeAll
    static void writeVideos() throws IOException {
        TrainingVideos.movingSquares(root, 3, 3);
        List<VideoSample> train = new ArrayList<>(DatasetFormats.open(root).samples("train"));
        // An untrimmed video annotated with a segment: clips come from inside it only.
        train.add(train.get(1).withTimes(0.5, 1.5));
        videos = List.copyOf(train);
    }

    private static ClipLoader.Builder base(long seed) {
        return ClipLoader.builder().setSamples(videos).optDecodeSize(FrameSize.exact(40, 36)).optBatchSize(3)
                .optWorkers(2).optSeed(seed);
    }

    /** Every batch of epochs 0 and 1. */
    private static String digest(ClipLoader.Builder builder) {
        MessageDigest sha = sha();
        try (ClipLoader loader = builder.build()) {
            for (int e = 0; e < 2; e++) {
                try (ClipLoader.Epoch epoch = loader.epoch(e)) {
                    for (ClipBatch b : epoch) {
                        update(sha, b.values(), b.shape().toString());
                        for (int i = 0; i < b.size(); i++) {
                            sha.update((b.labels()[i] + "/" + b.clipIndices()[i] + "/"
                                    + b.samples().get(i).path().getFileName() + "/" + b.samples().get(i).startSeconds())
                                    .getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String prepared(VideoClassifier classifier) {
        MessageDigest sha = sha();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (VideoSample v : videos.subList(0, 3)) {
                VideoClassifier.Clips clips = classifier.prepare(manager, v.path(), 3);
                NDArray x = clips.batch();
                update(sha, x.toFloatArray(), x.getShape().toString());
                StringBuilder spans = new StringBuilder().append(clips.durationSeconds());
                for (SampledClip c : clips.sampled()) {
                    spans.append('/').append(c.startSeconds()).append('-').append(c.endSeconds())
                            .append(Arrays.toString(c.frameIndices()));
                }
                sha.update(spans.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** What {@link Evaluator} feeds the model, in order and in its chunks, on every video. */
    private static String evaluated(ModelInput input, int crops) {
        MessageDigest sha = sha();
        LambdaBlock recorder = new LambdaBlock(in -> {
            NDArray x = in.singletonOrThrow();
            synchronized (sha) {
                update(sha, x.toFloatArray(), x.getShape().toString());
            }
            return new NDList(x.getManager().zeros(new Shape(x.getShape().get(0), 2)));
        });
        EvalResult r = Evaluator.builder().setModel(recorder).setInput(input).setClasses(List.of("left", "right"))
                .optClips(3).optCrops(crops).optChunk(4).optFlowSource(FlowLoaderTest.KNOWN).build().evaluate(videos);
        sha.update(r.toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void update(MessageDigest sha, float[] values, String shape) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4);
        for (float v : values) {
            bytes.putInt(Float.floatToRawIntBits(v));
        }
        sha.update(bytes.array());
        sha.update(shape.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> digests() {
        Map<String, String> out = new LinkedHashMap<>();
        var random = ClipSamplers.builder().mode("random").clipLen(L).frameStride(2);
        var stacks = ClipSamplers.builder().mode("random").clipLen(L + 1).frameStride(1);
        out.put("rgb-crop-flip-kinetics-cthw", digest(base(7).setSampler(random.build())
                .optTransform(Compose.of(Crop.random(24), Flip.horizontal(0.5)))));
        out.put("rgb-centre-imagenet-tchw", digest(base(8).setSampler(random.build())
                .optTransform(Crop.center(32)).optToTensor(new ToTensor(Normalization.IMAGENET, Layout.TCHW))));
        out.put("rgb-test-clips", digest(base(9).optShuffle(false).setSampler(ClipSamplers.builder().mode("uniform")
                .test(true).clips(3).clipLen(L).frameStride(2).build())));
        out.put("flow-crop-flip", digest(base(10).setSampler(stacks.build()).optModality(Modality.FLOW)
                .optFlow(FlowLoaderTest.KNOWN, L).optSpatialAugment(SpatialAugment.random(24, 0.5))));
        out.put("rgb+flow-crop-flip", digest(base(11).setSampler(stacks.build()).optModality(Modality.RGB_FLOW)
                .optFlow(FlowLoaderTest.KNOWN, L).optSpatialAugment(SpatialAugment.random(24, 0.5))));
        out.put("rgb+flow-centre", digest(base(12).setSampler(stacks.build()).optModality(Modality.RGB_FLOW)
                .optFlow(FlowLoaderTest.KNOWN, L).optSpatialAugment(SpatialAugment.center(30))));
        Linear unused = Linear.builder().setUnits(2).build();
        List<String> classes = List.of("left", "right");
        out.put("classify-rgb", prepared(new VideoClassifier(unused, new ModelInput(L, 2, null, 32, 36), classes)));
        out.put("classify-flow", prepared(new VideoClassifier(unused,
                new ModelInput(L, 1, null, 32, 36, Modality.FLOW), classes, FlowLoaderTest.KNOWN)));
        out.put("classify-rgb+flow", prepared(new VideoClassifier(unused,
                new ModelInput(L, 1, null, 30, 36, Modality.RGB_FLOW, Normalization.IMAGENET, 40), classes,
                FlowLoaderTest.KNOWN)));
        out.put("evaluate-rgb-1crop", evaluated(new ModelInput(L, 2, null, 32, 36), 1));
        out.put("evaluate-rgb-3crop", evaluated(new ModelInput(L, 2, null, 30, 34, Modality.RGB,
                Normalization.IMAGENET, 40), 3));
        out.put("evaluate-rgb+flow-3crop", evaluated(new ModelInput(L, 1, null, 30, 36, Modality.RGB_FLOW), 3));
        return out;
    }

    @Test
    void theRgbFlowAndTwoStreamPathsMakeTheTensorsTheyMadeBefore() throws IOException {
        Map<String, String> now = digests();
        if (Boolean.getBoolean("kinema.writeClipGoldens")) {
            StringBuilder text = new StringBuilder();
            now.forEach((k, v) -> text.append(k).append(' ').append(v).append('\n'));
            Files.createDirectories(GOLDEN.getParent());
            Files.writeString(GOLDEN, text.toString());
        }
        Map<String, String> expected = new LinkedHashMap<>();
        for (String line : Files.readAllLines(GOLDEN)) {
            String[] kv = line.split(" ");
            expected.put(kv[0], kv[1]);
        }
        assertEquals(expected, now);
    }

    private static final VideoSample SAMPLE = VideoSample.ofFile(Path.of("made-up.mp4"), 1, "b", "train");

    /** Frames and flow whose every value names its position: frame byte = 10 t + ..., dx = 1000 t + 10 y + x. */
    private static Clip knownClip(List<Clip.Box> boxes) {
        byte[] rgb = new byte[T * H * W * 3];
        float[] flow = new float[2 * T * H * W];
        for (int t = 0; t < T; t++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int p = (t * H + y) * W + x;
                    rgb[p * 3] = (byte) p;
                    rgb[p * 3 + 1] = (byte) (255 - p);
                    rgb[p * 3 + 2] = (byte) (t * 7);
                    flow[p] = 1000 * t + 10 * y + x + 0.5f;
                    flow[T * H * W + p] = -(1000 * t + 10 * y + x) - 0.25f;
                }
            }
        }
        Clip.Source source = new Clip.Source(SAMPLE, 0, new int[] {0, 1}, 0, 0.2, 1);
        return new Clip(new VideoFrames(rgb, T, H, W), new FloatTensor(new long[] {2, T, H, W}, flow), null, boxes,
                List.of(), "a caption", source);
    }

    @Test
    void aCropAndAFlipMoveFramesFlowAndBoxesAlike() {
        // A one-pixel box on the pixel (x=6, y=3) of frame 1; wherever the transform puts that pixel,
        // the box must follow it, and the flow there must be the flow that was there.
        Clip.Box marked = new Clip.Box(1, 6, 3, 7, 4, 5);
        Clip clip = knownClip(List.of(marked));
        for (double flip : new double[] {0, 1}) {
            for (long seed = 0; seed < 6; seed++) {
                SpatialAugment augment = SpatialAugment.random(6, flip);
                Clip out = augment.apply(clip, new Random(seed));
                int[] yx = Crop.random(6).offset(H, W, new Random(seed));
                VideoFrames expected = Crop.crop(clip.frames(), yx[0], yx[1], 6, 6);
                expected = flip == 1 ? Flip.mirror(expected) : expected;
                assertArrayEquals(expected.rgb(), out.frames().rgb(), "frames are Crop then Flip, seed " + seed);
                assertArrayEquals(new long[] {2, T, 6, 6}, out.flow().shape());
                float[] f = out.flow().data();
                for (int t = 0; t < T; t++) {
                    for (int r = 0; r < 6; r++) {
                        for (int k = 0; k < 6; k++) {
                            int srcX = yx[1] + (flip == 1 ? 5 - k : k);
                            int srcY = yx[0] + r;
                            int o = (t * 6 + r) * 6 + k;
                            float dx = 1000 * t + 10 * srcY + srcX + 0.5f;
                            assertEquals(flip == 1 ? -dx : dx, f[o], 0f, "dx follows the frames, negated by a flip");
                            assertEquals(-(1000 * t + 10 * srcY + srcX) - 0.25f, f[T * 36 + o], 0f);
                            assertEquals(clip.frames().get(t, srcY, srcX, 0), out.frames().get(t, r, k, 0));
                        }
                    }
                }
                boolean inside = yx[0] <= 3 && 3 < yx[0] + 6 && yx[1] <= 6 && 6 < yx[1] + 6;
                assertEquals(inside ? 1 : 0, out.boxes().size(), "a box outside the window is dropped");
                if (inside) {
                    Clip.Box b = out.boxes().get(0);
                    assertEquals(1, b.frame());
                    assertEquals(5, b.label());
                    int bx = (int) b.x1();
                    int by = (int) b.y1();
                    assertEquals(1f, b.x2() - b.x1(), 0f);
                    assertEquals(clip.frames().get(1, 3, 6, 0), out.frames().get(1, by, bx, 0),
                            "the box covers the marked pixel's new place");
                    float dx = 1000 + 10 * 3 + 6 + 0.5f;
                    assertEquals(flip == 1 ? -dx : dx, f[(6 + by) * 6 + bx], 0f, "and so does the flow");
                }
                assertEquals("a caption", out.text());
                assertSame(clip.source(), out.source());
            }
        }
    }

    @Test
    void aFramesOnlyTransformLeavesFlowAndBoxesAlone() {
        Clip clip = knownClip(List.of(new Clip.Box(0, 1, 1, 3, 3, 0)));
        FieldTransform mirror = FieldTransform.frames(Flip.horizontal());
        Clip out = mirror.apply(clip, null);
        assertArrayEquals(Flip.mirror(clip.frames()).rgb(), out.frames().rgb());
        assertSame(clip.flow(), out.flow());
        assertEquals(clip.boxes(), out.boxes());
        assertEquals(java.util.EnumSet.of(Clip.Field.FRAMES), mirror.fields());
        FieldTransform both = FieldTransform.compose(mirror, SpatialAugment.center(4));
        assertEquals(java.util.EnumSet.of(Clip.Field.FRAMES, Clip.Field.FLOW, Clip.Field.BOXES), both.fields());
    }

    @Test
    void collationLaysOutTheModalityAndCarriesTheBoxes() {
        Clip clip = knownClip(List.of(new Clip.Box(0, 1, 1, 3, 3, 0)));
        ToTensor none = new ToTensor(Normalization.NONE, Layout.CTHW);
        ClipBatch twoStream = new ClipCollate(Modality.RGB_FLOW, none).collate(4, List.of(clip, clip));
        assertEquals(new Shape(2, 5, T, H, W), twoStream.shape());
        assertEquals(4, twoStream.index());
        assertArrayEquals(new int[] {1, 1}, twoStream.labels());
        assertEquals(clip.boxes(), twoStream.boxes().get(1));
        assertEquals("a caption", twoStream.texts().get(0));
        int per = 5 * T * H * W;
        float[] frames = none.toFloats(clip.frames());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < frames.length; j++) {
                assertEquals(frames[j], twoStream.values()[i * per + j], 0f);
            }
            for (int j = 0; j < 2 * T * H * W; j++) {
                assertEquals(clip.flow().data()[j], twoStream.values()[i * per + 3 * T * H * W + j], 0f);
            }
        }
        Clip framesOnly = clip.withFlow(null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClipCollate(Modality.FLOW, none).collate(0, List.of(framesOnly)));
        assertTrue(e.getMessage().contains("made-up.mp4") && e.getMessage().contains("needs flow"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ClipCollate(Modality.FLOW, new ToTensor(Normalization.NONE, Layout.TCHW)));
    }

    @Test
    void theDecoderSamplesWithinAnAnnotatedSegmentAndSaysWhereInTheVideo() throws IOException {
        // 16 frames at 8 fps; the segment 0.5 s to 1.5 s is frames 4 to 11.
        VideoSample segment = videos.get(0).withTimes(0.5, 1.5);
        ClipDecoder decoder = new ClipDecoder(ReaderOptions.builder().optSize(FrameSize.exact(20, 20)).build(),
                ClipSamplers.builder().mode("uniform").test(true).clips(3).clipLen(2).frameStride(2).build(),
                Modality.RGB, null, 0, FlowNormalization.DEFAULT);
        List<Clip> clips = decoder.decode(segment, null);
        assertEquals(3, clips.size());
        for (int c = 0; c < 3; c++) {
            Clip.Source s = clips.get(c).source();
            assertEquals(c, s.clipIndex());
            for (int i : s.frameIndices()) {
                assertTrue(i >= 4 && i < 12, "frame " + i + " lies in the segment");
            }
            assertEquals(s.frameIndices()[0] / 8.0, s.startSeconds(), 1e-9, "seconds of the video");
            assertEquals(1.0, s.videoSeconds(), 1e-9, "the segment's length");
            assertEquals(List.of(2, 20, 20), List.of(clips.get(c).length(), clips.get(c).height(), clips.get(c).width()));
        }
    }

    @Test
    void theDecoderHandsOutChunksOfTheSameClipsInOrder() throws IOException {
        ClipDecoder decoder = new ClipDecoder(ReaderOptions.builder().optSize(FrameSize.exact(20, 20)).build(),
                ClipSamplers.builder().mode("uniform").test(true).clips(7).clipLen(2).frameStride(2).build(),
                Modality.RGB, null, 0, FlowNormalization.DEFAULT);
        List<Clip> whole = decoder.decode(videos.get(0), null);
        List<Integer> sizes = new ArrayList<>();
        List<Clip> chunked = new ArrayList<>();
        decoder.decode(videos.get(0), null, 3, part -> {
            sizes.add(part.size());
            chunked.addAll(part);
        });
        assertEquals(List.of(3, 3, 1), sizes, "7 clips, 3 at a time");
        assertEquals(whole.size(), chunked.size());
        for (int c = 0; c < whole.size(); c++) {
            assertEquals(c, chunked.get(c).source().clipIndex());
            assertArrayEquals(whole.get(c).source().frameIndices(), chunked.get(c).source().frameIndices());
            assertArrayEquals(whole.get(c).frames().rgb(), chunked.get(c).frames().rgb(), "clip " + c);
        }
    }

    @Test
    void theDecoderGivesEachClipTheSoundOfItsSpan() throws IOException {
        Path video = root.resolve("clapping.mp4");
        KinemaMotion.sample("clapping", new ClipSpec(48, 40, 25, 25), 1).write(video, true);
        VideoSample sample = VideoSample.ofFile(video, 0, "clapping", "test");
        ClipDecoder decoder = new ClipDecoder(ReaderOptions.builder().optSize(FrameSize.exact(24, 20)).build(),
                ClipSamplers.builder().mode("uniform").test(true).clips(2).clipLen(4).frameStride(2).build(),
                Modality.RGB, null, 0, FlowNormalization.DEFAULT).withAudio(8_000);
        float[] track = AudioReader.read(video, 8_000, true).samples()[0];
        List<Clip> clips = decoder.decode(sample, null);
        assertEquals(2, clips.size());
        for (Clip c : clips) {
            int from = (int) Math.round(c.source().startSeconds() * 8_000);
            int to = (int) Math.round(c.source().endSeconds() * 8_000);
            assertTrue(to - from > 1000, "a clip of 4 frames at stride 2 spans 0.32 s");
            assertEquals(8_000, c.audio().sampleRate());
            assertArrayEquals(Arrays.copyOfRange(track, from, to), c.audio().samples()[0], 0f);
        }
        assertThrows(dev.kinema.video.VideoDecodeException.class, () -> decoder.decode(videos.get(0), null),
                "a video without sound");
    }

    @Test
    void aTwoStreamEpochIsTheSameForOneWorkerOrTwo() {
        List<List<ClipBatch>> runs = new ArrayList<>();
        for (int workers : new int[] {1, 2}) {
            try (ClipLoader loader = ClipLoader.builder().setSamples(videos)
                    .setSampler(ClipSamplers.builder().mode("random").clipLen(4).frameStride(1).build())
                    .optDecodeSize(FrameSize.exact(24, 24)).optModality(Modality.RGB_FLOW)
                    .optFlow(FlowLoaderTest.KNOWN, 3).optSpatialAugment(SpatialAugment.random(16, 0.5))
                    .optBatchSize(1).optWorkers(workers).optSeed(3).build();
                    ClipLoader.Epoch epoch = loader.epoch(1)) {
                List<ClipBatch> batches = new ArrayList<>();
                epoch.forEach(batches::add);
                runs.add(batches);
            }
        }
        assertEquals(videos.size(), runs.get(0).size());
        for (int b = 0; b < runs.get(0).size(); b++) {
            assertArrayEquals(runs.get(0).get(b).values(), runs.get(1).get(b).values(), 0f, "batch " + b);
            assertArrayEquals(runs.get(0).get(b).labels(), runs.get(1).get(b).labels());
            assertEquals(new Shape(1, 5, 3, 16, 16), runs.get(0).get(b).shape());
        }
    }
}

package dev.kinema.data.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDList;
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
import dev.kinema.testing.TrainingVideos;
import dev.kinema.video.FrameSize;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clip pipeline makes exactly the tensors it made before it became one pipeline: a SHA-256 of
 * every batch's values, shape, labels, clip indices and videos, for the RGB, flow and two-stream
 * paths of the loader (random crops and flips, Kinetics normalisation, both layouts, an annotated
 * segment, several test clips per video) and for {@link VideoClassifier#prepare}. The digests in
 * {@code golden/clip-pipeline.txt} were written by the separate RGB and flow branches before the
 * refactor ({@code -Dkinema.writeClipGoldens=true} writes them again).
 */
class ClipPipelineGoldenTest {
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
}

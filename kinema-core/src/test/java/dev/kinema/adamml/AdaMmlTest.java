package dev.kinema.adamml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.engine.Engine;
import dev.kinema.data.datasets.DatasetFormats;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.SynthDatasetWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AdaMML: Gumbel-softmax decisions, late fusion when every modality is on, and the compute term's pull. */
class AdaMmlTest {
    private static final AdaMmlConfig CONFIG = new AdaMmlConfig(List.of("a", "b", "c"), 2, 16, 2, 8, 4, 4, 2, 8);

    @TempDir
    Path dir;

    @Test
    void gumbelSoftmaxIsOneHotForwardAndHasTheSoftSamplesGradient() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.create(new float[] {0.3f, -1f, 2f, 0f, 0f, 0f, 5f, 1f, -2f}, new Shape(3, 3));
            logits.setRequiresGradient(true);
            NDArray weights = manager.create(new float[] {1, 2, 3});
            NDArray noise = GumbelSoftmax.noise(manager, logits.getShape(), new SplittableRandom(1));
            float[] sample;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = GumbelSoftmax.straightThrough(logits, noise, 1f);
                sample = y.toFloatArray();
                collector.backward(y.mul(weights).sum());
            }
            for (int row = 0; row < 3; row++) {
                int ones = 0;
                for (int k = 0; k < 3; k++) {
                    float v = sample[row * 3 + k];
                    assertTrue(Math.abs(v) < 1e-6 || Math.abs(v - 1) < 1e-6, "a hard sample is 0 or 1, got " + v);
                    ones += v > 0.5 ? 1 : 0;
                }
                assertEquals(1, ones, "one choice per row");
            }
            // the gradient is the soft sample's: d(w·softmax(z))/dz = p ⊙ (w − w·p), non-zero
            float[] p = GumbelSoftmax.soft(logits, noise, 1f).toFloatArray();
            float[] grad = logits.getGradient().toFloatArray();
            for (int row = 0; row < 3; row++) {
                double mean = 0;
                for (int k = 0; k < 3; k++) {
                    mean += p[row * 3 + k] * (k + 1);
                }
                for (int k = 0; k < 3; k++) {
                    assertEquals(p[row * 3 + k] * (k + 1 - mean), grad[row * 3 + k], 1e-5, "gradient " + row + "," + k);
                }
            }
            assertTrue(Math.abs(grad[0]) + Math.abs(grad[1]) + Math.abs(grad[2]) > 1e-3, "the policy gets a gradient");
            // test time: the largest logit, no noise
            assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 1, 0, 0}, GumbelSoftmax.hard(logits).toFloatArray());
        }
    }

    @Test
    void everyModalityOnIsLateFusionOfAllNetsAndSegments() {
        try (NDManager manager = NDManager.newBaseManager()) {
            AdaMmlNetwork network = new AdaMmlNetwork(CONFIG);
            network.initialize(manager, DataType.FLOAT32, CONFIG.inputShapes(1));
            NDList inputs = SegmentInputs.batch(manager, randomVideos(2, 5), CONFIG);
            ParameterStore store = new ParameterStore(manager, false);
            AdaMmlNetwork.Output all = network.forward(store, inputs, AdaMmlNetwork.Decisions.ALL, 1, null, false);
            NDArray expected = null;
            for (SegmentModality m : SegmentModality.values()) {
                NDArray p = network.logits(store, m, inputs.get(m.ordinal()), false).softmax(-1).sum(new int[] {1});
                expected = expected == null ? p : expected.add(p);
            }
            expected = expected.div(CONFIG.segments() * SegmentModality.values().length);
            assertArrayEquals(expected.toFloatArray(), all.probabilities().toFloatArray(), 1e-5f, "the probability average");
            assertArrayEquals(new float[] {1, 1}, all.compute().toFloatArray(), 1e-5f, "all of the compute");
        }
    }

    @Test
    void raisingTheEfficiencyWeightLowersTheComputeAndTheRunReloads() throws Exception {
        List<SegmentInputs> train = randomVideos(24, 7);
        double[] compute = new double[2];
        float[] weights = {0f, 10f};
        for (int i = 0; i < 2; i++) {
            AdaMmlTraining.Options options = new AdaMmlTraining.Options(6, 8, 0.01f, weights[i], false, 3);
            try (AdaMmlRun run = AdaMmlTraining.fit(CONFIG, train, options, dir.resolve("run" + i), new AdaMmlTraining.Listener() {})) {
                AdaMmlTraining.Evaluation e = AdaMmlTraining.evaluate(run.network(), run.manager(), "train", train,
                        AdaMmlNetwork.Decisions.GREEDY);
                compute[i] = e.computeFraction();
                try (AdaMmlRun reloaded = AdaMmlRun.open(dir.resolve("run" + i))) {
                    AdaMmlTraining.Evaluation again = AdaMmlTraining.evaluate(reloaded.network(), reloaded.manager(), "train",
                            train, AdaMmlNetwork.Decisions.GREEDY);
                    assertEquals(e.accuracy(), again.accuracy(), 1e-9, "the saved run predicts the same");
                    assertEquals(e.computeFraction(), again.computeFraction(), 1e-6, "and decides the same");
                }
            }
        }
        assertTrue(compute[1] < compute[0] - 0.1, "compute at weight 10 (" + compute[1] + ") well below weight 0 (" + compute[0] + ")");
    }

    @Test
    void classifyComputesOnlyTheChosenModalitiesOfARealVideo() throws Exception {
        Path data = dir.resolve("data");
        SynthDatasetWriter.builder().setOutput(data).optVideosPerClass(1).optSize(32, 32).optFps(8).optSeconds(2, 2)
                .optClasses(List.of(KinemaMotion.get("clapping"), KinemaMotion.get("juggling"))).optAudio(true)
                .optWorkers(1).build().write(d -> {});
        AdaMmlConfig config = new AdaMmlConfig(List.of("clapping", "juggling"), 2, 16, 2, 8, 4, 4, 2, 8);
        List<SegmentInputs> videos = new ArrayList<>();
        for (VideoSample s : DatasetFormats.open(data).samples("train")) {
            videos.add(SegmentInputs.decode(s, config, SegmentInputs.defaultFlow(config)));
        }
        SegmentInputs first = videos.get(0);
        assertEquals(2 * 3 * 16 * 16, first.rgb().length);
        assertTrue(first.starts()[1] > first.starts()[0], "segments spread over the video");
        AdaMmlTraining.Options options = new AdaMmlTraining.Options(1, 2, 0.01f, 0.5f, false, 1);
        try (AdaMmlRun run = AdaMmlTraining.fit(config, videos, options, dir.resolve("run"), new AdaMmlTraining.Listener() {})) {
            AdaMmlRun.Result r = run.classify(first.sample().path(), SegmentInputs.defaultFlow(config));
            AdaMmlTraining.Evaluation batched = AdaMmlTraining.evaluate(run.network(), run.manager(), "one", List.of(first),
                    AdaMmlNetwork.Decisions.GREEDY);
            assertEquals(2, r.segments().size());
            assertEquals(batched.computeFraction(), r.computeFraction(), 1e-6, "segment by segment spends what the batch says");
            long used = r.segments().stream().mapToLong(s -> s.modalities().size()).sum();
            assertEquals(Math.round(batched.usage()[0] * 2 + batched.usage()[1] * 2 + batched.usage()[2] * 2), used);
        }
    }

    private static List<SegmentInputs> randomVideos(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<SegmentInputs> out = new ArrayList<>();
        for (int v = 0; v < n; v++) {
            int label = v % CONFIG.classes();
            float[][] values = new float[3][];
            for (SegmentModality m : SegmentModality.values()) {
                values[m.ordinal()] = new float[CONFIG.segments() * CONFIG.valuesPerSegment(m)];
                for (int i = 0; i < values[m.ordinal()].length; i++) {
                    values[m.ordinal()][i] = (float) rng.nextGaussian() + (m == SegmentModality.AUDIO ? label : 0);
                }
            }
            VideoSample sample = VideoSample.ofFile(Path.of("v" + v + ".mp4"), label, CONFIG.labels().get(label), "train");
            out.add(new SegmentInputs(sample, new double[] {0, 1}, new double[] {1, 2}, values[0], values[1], values[2]));
        }
        return out;
    }
}

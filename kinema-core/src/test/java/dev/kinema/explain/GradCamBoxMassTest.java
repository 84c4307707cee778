package dev.kinema.explain;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.kinema.eval.Metrics;
import dev.kinema.models.ModelConfig;
import dev.kinema.models.ModelRegistry;
import dev.kinema.models.VideoModel;
import dev.kinema.synth.ActorBox;
import dev.kinema.synth.ClipSpec;
import dev.kinema.synth.KinemaMotion;
import dev.kinema.synth.SynthSample;
import dev.kinema.video.VideoFrames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Grad-CAM looks at the moving object: {@code tiny-3d}, trained briefly (60 steps of 8 fresh clips)
 * on {@code rotate_clockwise} against {@code rotate_anticlockwise} (Kinema-Motion's time-reversed
 * pair: only the rotor's motion tells them apart), on clips less their per-pixel temporal mean (so
 * the static background cancels), is explained on held-out clips whose only moving thing is the
 * rotor (no distractors) and whose box in every frame the renderer knows. On the clips it gets
 * right, the map's mass inside the box must far exceed the box's share of the frame and the mass in
 * a box of the same size elsewhere (the same box moved half a frame down, wrapped).
 *
 * <p>Measured, twice the same (seeds fixed; AMD EPYC Zen 4, 2 cores shared with seven other builds:
 * 65 to 140 s of training, a few seconds for the rest): 8 of the first 21 held-out clips right
 * (the direction is barely learnt in 60 steps: the test is about where the model looks, not how
 * well it classifies); on those the box holds 0.473 of the Grad-CAM mass while covering 0.163 of
 * the frame, and the box elsewhere 0.100.
 * The floors: 0.3, 2× the box's share, 3× the box elsewhere.
 */
class GradCamBoxMassTest {
    private static final ClipSpec SPEC = new ClipSpec(32, 32, 8, 8);
    private static final List<String> CLASSES = List.of("rotate_clockwise", "rotate_anticlockwise");
    private static final int STEPS = 60;
    private static final int BATCH = 8;
    private static final int CLIPS = 8;

    @Test
    void aTrainedMotionModelsGradCamLiesOnTheMovingObject() {
        Engine.getInstance().setRandomSeed(1);
        ModelConfig config = ModelConfig.builder().setNumClasses(2).optFrames(SPEC.frames()).optSize(SPEC.width()).build();
        VideoModel model = ModelRegistry.create("tiny-3d", config);
        try (Model m = Model.newInstance("box-mass")) {
            m.setBlock(model);
            train(m);
            double inside = 0;
            double elsewhere = 0;
            double total = 0;
            double area = 0;
            int clips = 0;
            int tried = 0;
            try (NDManager manager = NDManager.newBaseManager()) {
                for (long seed = 10_000; clips < CLIPS && tried < 4 * CLIPS; seed++) {
                    int label = (int) (seed % 2);
                    SynthSample sample = KinemaMotion.sample(CLASSES.get(label), SPEC, seed);
                    if (sample.scene().layers().size() != 1) {
                        continue; // a distractor moves too: not a clip with one moving object
                    }
                    tried++;
                    NDArray clip = tensor(manager, List.of(sample.frames()));
                    GradCam.Result r = GradCam.of(model).explain(clip, label);
                    if (Metrics.argmax(r.scores()) != label) {
                        continue; // a wrong decision is not expected to rest on the object
                    }
                    clips++;
                    int plane = SPEC.width() * SPEC.height();
                    for (int t = 0; t < SPEC.frames(); t++) {
                        ActorBox b = sample.boxes(t).get(0);
                        double x1 = b.x() + b.width();
                        double y1 = b.y() + b.height();
                        double shift = SPEC.height() / 2.0;
                        double y0e = (b.y() + shift) % SPEC.height();
                        inside += Maps.boxSum(r.map(), t, SPEC.height(), SPEC.width(), b.x(), b.y(), x1, y1);
                        // The same box half a frame lower, wrapped: split in two where it wraps.
                        elsewhere += Maps.boxSum(r.map(), t, SPEC.height(), SPEC.width(), b.x(), y0e, x1, y0e + b.height())
                                + Maps.boxSum(r.map(), t, SPEC.height(), SPEC.width(), b.x(), y0e - SPEC.height(), x1,
                                        y0e - SPEC.height() + b.height());
                        total += Maps.frameSum(r.map(), t, plane);
                        area += b.width() * b.height() / plane;
                    }
                }
            }
            double fraction = inside / total;
            double other = elsewhere / total;
            double covered = area / (clips * SPEC.frames());
            String measured = String.format(Locale.ROOT, "%d of %d held-out clips right; on those, mass in the box %.3f (box covers %.3f of the frame), same box elsewhere %.3f",
                    clips, tried, fraction, covered, other);
            System.out.println("GradCamBoxMassTest: " + measured);
            assertTrue(clips >= CLIPS / 2, measured);
            assertTrue(fraction >= 0.3, measured);
            assertTrue(fraction >= 2 * covered, measured);
            assertTrue(fraction >= 3 * other, measured);
        }
    }

    private static void train(Model m) {
        long started = System.nanoTime();
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(3e-3f)).build());
        try (Trainer trainer = m.newTrainer(cfg)) {
            trainer.initialize(new Shape(BATCH, 3, SPEC.frames(), SPEC.height(), SPEC.width()));
            for (int step = 0; step < STEPS; step++) {
                try (NDManager manager = m.getNDManager().newSubManager()) {
                    List<VideoFrames> clips = new ArrayList<>();
                    float[] labels = new float[BATCH];
                    for (int i = 0; i < BATCH; i++) {
                        int k = step * BATCH + i;
                        labels[i] = k % 2;
                        clips.add(KinemaMotion.sample(CLASSES.get(k % 2), SPEC, 1 + k).frames());
                    }
                    NDArray x = tensor(manager, clips);
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray logits = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = trainer.getLoss().evaluate(new NDList(manager.create(labels)), new NDList(logits));
                        collector.backward(loss);
                    }
                    trainer.step();
                }
            }
        }
        System.out.printf("GradCamBoxMassTest: training %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Clips N×3×T×H×W: bytes scaled to [-1, 1], less each pixel's mean over the clip's frames, so the
     * static background cancels and the model sees what moves (a motion model's input, and what
     * lets a tiny network learn rotation direction in a few dozen steps).
     */
    private static NDArray tensor(NDManager manager, List<VideoFrames> clips) {
        VideoFrames first = clips.get(0);
        int n = first.rgb().length;
        float[] data = new float[clips.size() * n];
        int plane = first.height() * first.width();
        int t = first.frames();
        for (int c = 0; c < clips.size(); c++) {
            byte[] rgb = clips.get(c).rgb();
            for (int f = 0; f < t; f++) {
                for (int p = 0; p < plane; p++) {
                    for (int ch = 0; ch < 3; ch++) {
                        data[c * n + (ch * t + f) * plane + p] = (rgb[(f * plane + p) * 3 + ch] & 0xff) / 127.5f - 1;
                    }
                }
            }
            for (int ch = 0; ch < 3; ch++) {
                for (int p = 0; p < plane; p++) {
                    float mean = 0;
                    for (int f = 0; f < t; f++) {
                        mean += data[c * n + (ch * t + f) * plane + p] / t;
                    }
                    for (int f = 0; f < t; f++) {
                        data[c * n + (ch * t + f) * plane + p] -= mean;
                    }
                }
            }
        }
        return manager.create(data, new Shape(clips.size(), 3, t, first.height(), first.width()));
    }
}

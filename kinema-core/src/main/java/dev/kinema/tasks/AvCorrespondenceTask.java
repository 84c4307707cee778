package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.CropView;
import dev.kinema.data.loader.ModelInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Audio-visual correspondence as a self-supervised task ("Objects that Sound", Arandjelović and
 * Zisserman 2018): clips at even places of a batch keep their own sound (target 1); each clip at
 * an odd place gets the sound of the next clip in the batch that comes from another video (target
 * 0), or keeps its own when the batch has none. The loader shuffles, so partners change every epoch.
 * Labels are ignored.
 *
 * <p>Validation takes each validation video's centre clip, once with its own sound and once with
 * the next validation video's, and reports {@code correspondence_accuracy} over both.
 */
public final class AvCorrespondenceTask extends AudioVisualPairTask {
    /** The task's name in {@code config.json} and {@code kinema train --task}. */
    public static final String NAME = "av-correspondence";
    /** The validation metric. */
    public static final String CORRESPONDENCE_ACCURACY = "correspondence_accuracy";

    public static final TaskDefinition DEFINITION = new TaskDefinition(NAME,
            "audio-visual correspondence (self-supervised): a clip's own sound vs another video's",
            List.of(Metric.accuracy(PAIR_ACCURACY, "pair accuracy")),
            List.of(Metric.accuracy(CORRESPONDENCE_ACCURACY, "correspondence accuracy")), CORRESPONDENCE_ACCURACY,
            c -> new AvCorrespondenceTask());

    /**
     * Whose sound each clip of the batch gets: its own at even places, at odd places the next clip's
     * (cyclically) that comes from another video, or its own when there is none.
     */
    static int[] partners(ClipBatch batch, boolean negatives) {
        int n = batch.size();
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = negatives && i % 2 == 1 ? nextOtherVideo(batch, i) : i;
        }
        return out;
    }

    @Override
    float[] targets(ClipBatch batch) {
        int[] p = partners(batch, true);
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] == i ? 1 : 0;
        }
        return out;
    }

    @Override
    NDArray inputs(ClipBatch batch, NDManager manager) {
        return paired(batch, partners(batch, true), manager);
    }

    /**
     * The batch's packed clips with clip i's log-mel plane (its last channel) replaced by clip
     * {@code partner[i]}'s.
     */
    static NDArray paired(ClipBatch batch, int[] partner, NDManager manager) {
        float[] values = batch.values().clone();
        long[] shape = batch.shape().getShape();
        int clip = Math.toIntExact(values.length / shape[0]);
        int plane = Math.toIntExact(clip / shape[1]);
        int planeStart = clip - plane;
        for (int i = 0; i < partner.length; i++) {
            if (partner[i] != i) {
                System.arraycopy(batch.values(), partner[i] * clip + planeStart, values, i * clip + planeStart, plane);
            }
        }
        return manager.create(values, batch.shape());
    }

    @Override
    public Validation validate(ValidationPass pass) {
        ModelInput input = pass.input();
        int right = 0;
        int seen = 0;
        int done = 0;
        int batchSize = Math.max(2, Math.min(16, pass.videos().size()));
        try (ClipLoader loader = input.configure(ClipLoader.builder(), pass.flow()).setSamples(pass.videos())
                .setSampler(input.sampler().mode("uniform").test(true).clips(1).build())
                .optViews(CropView.views(1, input.size())).optBatchSize(batchSize).optShuffle(false)
                .optWorkers(pass.workers()).optSeed(0).build();
                ClipLoader.Epoch epoch = loader.epoch(0);
                NDManager manager = NDManager.newBaseManager()) {
            for (ClipBatch batch : epoch) {
                int[] own = partners(batch, false);
                int[] other = new int[batch.size()];
                for (int i = 0; i < other.length; i++) {
                    other[i] = nextOtherVideo(batch, i);
                }
                for (int[] partner : List.of(own, other)) {
                    try (NDManager step = manager.newSubManager()) {
                        float[] logits = pass.model().forward(new ParameterStore(step, false),
                                new NDList(paired(batch, partner, step)), false).singletonOrThrow().toFloatArray();
                        for (int i = 0; i < logits.length; i++) {
                            if (partner == own || partner[i] != i) {
                                right += correct(logits[i], partner[i] == i ? 1 : 0) ? 1 : 0;
                                seen++;
                            }
                        }
                    }
                }
                done += batch.size();
                pass.progress().accept(done);
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(CORRESPONDENCE_ACCURACY, seen == 0 ? Double.NaN : right / (double) seen);
        return () -> metrics;
    }

    private static int nextOtherVideo(ClipBatch batch, int i) {
        int n = batch.size();
        for (int k = 1; k < n; k++) {
            int j = (i + k) % n;
            if (!batch.samples().get(j).path().equals(batch.samples().get(i).path())) {
                return j;
            }
        }
        return i;
    }
}

package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.CropView;
import dev.kinema.data.loader.FieldTransform;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.loader.ShiftedAudio;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Audio-visual synchronisation as a self-supervised task (Owens and Efros 2018; Korbar et al. 2018):
 * each training clip keeps its own sound (target 1) or, with probability 1/2, gets the sound of the
 * same video shifted by {@code minShift} to {@code maxShift} seconds either way (target 0; Korbar et
 * al.'s hard negatives: same video, so only the timing differs), drawn by the loader
 * ({@link ShiftedAudio#random}). Labels are ignored, so any videos with sound train it.
 *
 * <p>Validation takes each validation video's centre clip with its own sound and with the sound
 * shifted by each of {@link #VALIDATION_SHIFTS} seconds, earlier and later (where the video is long
 * enough), and reports the accuracy at each shift, the accuracy on aligned pairs, and
 * {@code sync_accuracy}, their balanced mean: aligned pairs and shifted pairs (those of at least
 * {@code minShift}) weigh half each (the best checkpoint's metric).
 */
public final class AvSyncTask extends AudioVisualPairTask {
    /** The task's name in {@code config.json} and {@code kinema train --task}. */
    public static final String NAME = "av-sync";
    /** The balanced validation accuracy (aligned and shifted pairs weigh half each). */
    public static final String SYNC_ACCURACY = "sync_accuracy";
    /** Validation accuracy on aligned pairs. */
    public static final String ALIGNED_ACCURACY = "aligned_accuracy";
    /** The shifts (seconds, each both ways) validation measures. */
    public static final double[] VALIDATION_SHIFTS = {0.5, 1.0, 1.5, 2.0};
    /** The default shortest and longest training shifts, seconds. */
    public static final double MIN_SHIFT = 0.5;
    public static final double MAX_SHIFT = 2.0;

    /** The task with its default shifts, 0.5 to 2 s. */
    public static final TaskDefinition DEFINITION = definition(MIN_SHIFT, MAX_SHIFT);

    private final double minShift;
    private final double maxShift;

    public AvSyncTask(double minShift, double maxShift) {
        ShiftedAudio.random(minShift, maxShift);
        this.minShift = minShift;
        this.maxShift = maxShift;
    }

    /** The task with negatives shifted by {@code minShift} to {@code maxShift} seconds; register it to use it. */
    public static TaskDefinition definition(double minShift, double maxShift) {
        List<Metric> validation = new ArrayList<>();
        validation.add(Metric.accuracy(SYNC_ACCURACY, "sync accuracy (balanced)"));
        validation.add(Metric.accuracy(ALIGNED_ACCURACY, "aligned pairs"));
        for (double s : VALIDATION_SHIFTS) {
            validation.add(Metric.accuracy(shiftMetric(s), "shifted by " + seconds(s)));
        }
        return new TaskDefinition(NAME, String.format(Locale.ROOT,
                "audio-visual synchronisation (self-supervised): own sound vs the same video's shifted by %s to %s",
                seconds(minShift), seconds(maxShift)),
                List.of(Metric.accuracy(PAIR_ACCURACY, "pair accuracy")), validation, SYNC_ACCURACY,
                c -> new AvSyncTask(minShift, maxShift));
    }

    /** The name of the validation accuracy at a shift of {@code seconds}, e.g. {@code accuracy_at_1000ms}. */
    public static String shiftMetric(double seconds) {
        return "accuracy_at_" + Math.round(seconds * 1000) + "ms";
    }

    private static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    @Override
    public FieldTransform clipTargets() {
        return ShiftedAudio.random(minShift, maxShift);
    }

    @Override
    float[] targets(ClipBatch batch) {
        float[] out = new float[batch.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = aligned(ShiftedAudio.shiftOf(batch.segments().get(i))) ? 1 : 0;
        }
        return out;
    }

    private static boolean aligned(double shift) {
        return Math.abs(shift) < 1e-6;
    }

    @Override
    NDArray inputs(ClipBatch batch, NDManager manager) {
        return batch.data(manager);
    }

    @Override
    public Validation validate(ValidationPass pass) {
        ModelInput input = pass.input();
        List<Double> shifts = new ArrayList<>(List.of(0.0));
        for (double s : VALIDATION_SHIFTS) {
            shifts.add(s);
            shifts.add(-s);
        }
        Map<Long, int[]> byShift = new LinkedHashMap<>();   // |shift| in ms -> {right, seen}
        int done = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (double shift : shifts) {
                try (ClipLoader loader = input.configure(ClipLoader.builder(), pass.flow()).setSamples(pass.videos())
                        .setSampler(input.sampler().mode("uniform").test(true).clips(1).build())
                        .optFieldTransform(ShiftedAudio.fixed(shift)).optViews(CropView.views(1, input.size()))
                        .optBatchSize(Math.max(1, pass.chunk())).optShuffle(false).optWorkers(pass.workers()).optSeed(0).build();
                        ClipLoader.Epoch epoch = loader.epoch(0)) {
                    for (ClipBatch batch : epoch) {
                        try (NDManager step = manager.newSubManager()) {
                            float[] logits = pass.model().forward(new ParameterStore(step, false),
                                    new NDList(batch.data(step)), false).singletonOrThrow().toFloatArray();
                            for (int i = 0; i < batch.size(); i++) {
                                double actual = ShiftedAudio.shiftOf(batch.segments().get(i));
                                int[] tally = byShift.computeIfAbsent(Math.round(Math.abs(actual) * 1000), k -> new int[2]);
                                tally[0] += correct(logits[i], aligned(actual) ? 1 : 0) ? 1 : 0;
                                tally[1]++;
                            }
                        }
                    }
                }
                pass.progress().accept(Math.min(pass.videos().size(), ++done * pass.videos().size() / shifts.size()));
            }
        }
        return new SyncValidation(metrics(byShift, minShift));
    }

    /** The accuracies by shift, aligned, and balanced, from tallies by |shift| in ms. */
    static Map<String, Double> metrics(Map<Long, int[]> byShift, double minShift) {
        Map<String, Double> out = new LinkedHashMap<>();
        int[] aligned = byShift.getOrDefault(0L, new int[2]);
        int shiftedRight = 0;
        int shiftedSeen = 0;
        for (Map.Entry<Long, int[]> e : byShift.entrySet()) {
            if (e.getKey() >= Math.round(minShift * 1000)) {
                shiftedRight += e.getValue()[0];
                shiftedSeen += e.getValue()[1];
            }
        }
        double alignedAccuracy = fraction(aligned);
        double shiftedAccuracy = fraction(new int[] {shiftedRight, shiftedSeen});
        out.put(SYNC_ACCURACY, (alignedAccuracy + shiftedAccuracy) / 2);
        out.put(ALIGNED_ACCURACY, alignedAccuracy);
        for (double s : VALIDATION_SHIFTS) {
            out.put(shiftMetric(s), fraction(byShift.getOrDefault(Math.round(s * 1000), new int[2])));
        }
        return out;
    }

    private static double fraction(int[] tally) {
        return tally[1] == 0 ? Double.NaN : tally[0] / (double) tally[1];
    }

    /** The validation's metrics and its table of accuracy against shift. */
    private record SyncValidation(Map<String, Double> metrics) implements Validation {
        @Override
        public String report(java.nio.file.Path dir) {
            StringBuilder html = new StringBuilder("<h2>Synchronisation</h2>\n<p>Each validation video's centre clip with its"
                    + " own sound and with the sound shifted both ways: accuracy against the shift.</p>\n<table>\n"
                    + "<tr><th>shift</th><th>accuracy</th></tr>\n");
            html.append(row("0 s (aligned)", metrics.get(ALIGNED_ACCURACY)));
            for (double s : VALIDATION_SHIFTS) {
                html.append(row(seconds(s), metrics.get(shiftMetric(s))));
            }
            return html.append(row("balanced", metrics.get(SYNC_ACCURACY))).append("</table>\n").toString();
        }

        private static String row(String shift, Double accuracy) {
            String value = accuracy == null || accuracy.isNaN() ? "n/a"
                    : String.format(Locale.ROOT, "%.1f%%", 100 * accuracy);
            return "<tr><td>" + shift + "</td><td>" + value + "</td></tr>\n";
        }
    }
}

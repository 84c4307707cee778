package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.CropView;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.data.transforms.Normalization;
import dev.kinema.models.videomae.TubeMask;
import dev.kinema.models.videomae.TubeletPixels;
import dev.kinema.viz.ReconstructionSheet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * VideoMAE's masked-video pretraining as a training task: labels are ignored; each batch's clips get
 * a {@link TubeMask} drawn from the batch's generator, the model (a
 * {@link dev.kinema.models.videomae.VideoMaePretraining}) takes the clips with the visible and
 * masked token numbers and predicts the masked tubelets, and the loss is the mean squared error
 * against their normalised pixels ({@link TubeletPixels#normalised}) on masked tokens only, or, with
 * {@link Target#PIXELS}, against the pixels themselves (VideoMAE's {@code normlize_target False}, MAE's
 * {@code norm_pix_loss False}).
 *
 * <p>Validation runs the centre clip of each validation video under a fixed mask per video (the
 * same every epoch, so the losses compare), reports the mean loss ({@code reconstruction_loss}, the
 * best checkpoint's metric) and draws the first video's clip as original, masked input and
 * reconstruction (the visible tubelets as they were, the masked ones predicted and put back to
 * pixels with their own mean and deviation), one PNG per epoch in the run's report.
 */
public final class MaskedVideoTask implements TrainingTask {
    /** The task's name in {@code config.json}. */
    public static final String NAME = "videomae-pretraining";
    /** The validation metric. */
    public static final String RECONSTRUCTION_LOSS = "reconstruction_loss";
    /** The reconstruction sheets' file names: this prefix, the epoch, {@code .png}. */
    public static final String SHEET_PREFIX = "reconstruction-epoch-";

    /**
     * What the decoder predicts for a masked tubelet. The paper's {@link #NORMALISED} target removes
     * each tubelet's mean and scale, leaving its texture; where that texture is mostly noise (flat
     * synthetic backgrounds under compression), the best guess is zero and the loss stays at 1
     * (docs/results.md, VideoMAE). {@link #PIXELS} keeps the colours, which the visible tubelets predict.
     */
    public enum Target {
        /** Per tubelet and channel standardised pixels (the paper's default). */
        NORMALISED,
        /** The clip's pixels as the model sees them (after the clip's own normalisation). */
        PIXELS;

        /** {@code normalised} or {@code pixels}. */
        public static Target parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "normalised", "normalized" -> NORMALISED;
                case "pixels" -> PIXELS;
                default -> throw new IllegalArgumentException("unknown reconstruction target '" + text
                        + "'; use normalised or pixels");
            };
        }

        /** The name {@link #parse} reads. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final double maskRatio;
    private final Target target;
    private final TubeletPixels pixels;
    private final int tubelet;
    private final int patch;

    public MaskedVideoTask(double maskRatio, int tubelet, int patch) {
        this(maskRatio, tubelet, patch, Target.NORMALISED);
    }

    public MaskedVideoTask(double maskRatio, int tubelet, int patch, Target target) {
        TubeMask.maskedPerFrame(2, maskRatio);
        this.maskRatio = maskRatio;
        this.target = Objects.requireNonNull(target);
        this.tubelet = tubelet;
        this.patch = patch;
        this.pixels = new TubeletPixels(tubelet, patch);
    }

    /** The task's definition for a model of {@code tubelet}×{@code patch}×{@code patch} tokens masking {@code maskRatio}. */
    public static TaskDefinition definition(double maskRatio, int tubelet, int patch) {
        return definition(maskRatio, tubelet, patch, Target.NORMALISED);
    }

    /** As {@link #definition(double, int, int)}, predicting {@code target}. */
    public static TaskDefinition definition(double maskRatio, int tubelet, int patch, Target target) {
        return new TaskDefinition(NAME, "masked-video pretraining (VideoMAE): " + target.label()
                + " pixels of masked tubelets", List.of(),
                List.of(new Metric(RECONSTRUCTION_LOSS, "masked-pixel loss", false, false)),
                RECONSTRUCTION_LOSS, c -> new MaskedVideoTask(maskRatio, tubelet, patch, target));
    }

    /** Unused: the pretraining network sizes its own output. */
    @Override
    public int outputs() {
        return 1;
    }

    private long[] grid(Shape clips) {
        return new long[] {clips.get(2) / tubelet, clips.get(3) / patch, clips.get(4) / patch};
    }

    /** Inputs (clips, visible, masked) and the targets of the masked tokens, for {@code clips} under {@code mask}. */
    private TrainingTask.Step step(NDArray clips, TubeMask mask, NDManager manager) {
        NDArray visible = mask.visibleIndex(manager);
        NDArray masked = mask.maskedIndex(manager);
        NDArray targets = TubeMask.gather(target == Target.NORMALISED ? pixels.normalised(clips) : pixels.of(clips),
                masked);
        return new Step(new NDList(clips, visible, masked), new NDList(targets));
    }

    @Override
    public Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
        NDArray clips = batch.data(manager);
        return step(clips, TubeMask.draw(batch.size(), grid(clips.getShape()), maskRatio, rng), manager);
    }

    @Override
    public NDArray loss(NDList outputs, NDList targets) {
        return outputs.singletonOrThrow().sub(targets.singletonOrThrow()).square().mean();
    }

    @Override
    public EpochMetricsAccumulator newEpoch() {
        return new MeanLoss();
    }

    @Override
    public Validation validate(ValidationPass pass) {
        ModelInput input = pass.input();
        double lossSum = 0;
        int videos = 0;
        ReconstructionSheet.Row[] sheet = null;
        long[] clipShape = null;
        try (ClipLoader loader = input.configure(ClipLoader.builder(), pass.flow()).setSamples(pass.videos())
                .setSampler(input.sampler().mode("uniform").test(true).clips(1).build())
                .optViews(CropView.views(1, input.size())).optBatchSize(1).optShuffle(false)
                .optWorkers(pass.workers()).optSeed(0).build();
                ClipLoader.Epoch epoch = loader.epoch(0);
                NDManager manager = NDManager.newBaseManager()) {
            for (ClipBatch batch : epoch) {
                try (NDManager step = manager.newSubManager()) {
                    NDArray clips = batch.data(step);
                    TubeMask mask = TubeMask.draw(1, grid(clips.getShape()), maskRatio, new SplittableRandom(batch.index()));
                    Step s = step(clips, mask, step);
                    NDArray predicted = pass.model().forward(new ParameterStore(step, false), s.inputs(), false)
                            .singletonOrThrow();
                    lossSum += loss(new NDList(predicted), s.targets()).getFloat();
                    if (sheet == null) {
                        sheet = sheet(clips, mask, predicted, input.normalization());
                        clipShape = clips.getShape().getShape();
                    }
                }
                pass.progress().accept(++videos);
            }
        }
        return new Reconstruction(videos == 0 ? Double.NaN : lossSum / videos, sheet, clipShape);
    }

    /** Original, masked input and reconstruction of the first clip of {@code clips}, in [0, 1] pixels. */
    private ReconstructionSheet.Row[] sheet(NDArray clips, TubeMask mask, NDArray predicted, Normalization norm) {
        long[] g = grid(clips.getShape());
        NDArray original = pixels.of(clips);
        NDArray[] stats = pixels.statistics(clips);
        long l = original.getShape().get(1);
        long p = original.getShape().get(2);
        // the predicted tubelets, in pixels, scattered back over a copy of the original ones
        NDArray expanded = expand(predicted, mask, l);
        NDArray all = target == Target.NORMALISED ? pixels.denormalise(expanded, stats) : expanded;
        float[] reconstructed = original.toFloatArray();
        float[] hidden = original.toFloatArray();
        float[] predictedPixels = all.toFloatArray();
        for (long token : mask.masked()[0]) {
            int from = (int) (token * p);
            System.arraycopy(predictedPixels, from, reconstructed, from, (int) p);
            java.util.Arrays.fill(hidden, from, (int) (from + p), 0f);
        }
        NDManager m = clips.getManager();
        Shape s = original.getShape();
        return new ReconstructionSheet.Row[] {
            new ReconstructionSheet.Row("original", display(clips, norm)),
            new ReconstructionSheet.Row("masked input", display(pixels.clips(m.create(hidden, s), g), norm)),
            new ReconstructionSheet.Row("reconstruction", display(pixels.clips(m.create(reconstructed, s), g), norm))};
    }

    /** Predictions 1×M×P to 1×L×P, zero where a token is visible. */
    private static NDArray expand(NDArray predicted, TubeMask mask, long l) {
        long p = predicted.getShape().get(2);
        float[] values = predicted.toFloatArray();
        float[] out = new float[(int) (l * p)];
        long[] masked = mask.masked()[0];
        for (int i = 0; i < masked.length; i++) {
            System.arraycopy(values, (int) (i * p), out, (int) (masked[i] * p), (int) p);
        }
        return predicted.getManager().create(out, new Shape(1, l, p));
    }

    /** A normalised clip 1×3×T×H×W back to [0, 1] pixels, 3×T×H×W. */
    private static float[] display(NDArray clip, Normalization norm) {
        float[] v = clip.toFloatArray();
        int plane = v.length / 3;
        for (int i = 0; i < v.length; i++) {
            int c = i / plane;
            v[i] = v[i] * norm.std()[c] + norm.mean()[c];
        }
        return v;
    }

    /** The validation: its loss and the first clip's pictures. */
    private record Reconstruction(double loss, ReconstructionSheet.Row[] rows, long[] clip) implements Validation {
        @Override
        public Map<String, Double> metrics() {
            return Map.of(RECONSTRUCTION_LOSS, loss);
        }

        /** Adds this epoch's sheet beside the earlier ones: file n+1 when n are there. */
        @Override
        public String report(Path dir) throws IOException {
            if (rows == null) {
                return "";
            }
            List<Path> earlier = sheets(dir);
            Path png = dir.resolve(SHEET_PREFIX + (earlier.size() + 1) + ".png");
            ReconstructionSheet.write(List.of(rows), (int) clip[2], (int) clip[3], (int) clip[4], png);
            StringBuilder html = new StringBuilder("<h2>Reconstructions</h2>\n<p>The first validation video's centre"
                    + " clip, top to bottom: " + String.join(", ", java.util.Arrays.stream(rows)
                            .map(ReconstructionSheet.Row::label).toList()) + " (")
                    .append(String.format(Locale.ROOT, "%.3f", loss))
                    .append(" masked-pixel loss over the validation videos), newest epoch first.</p>\n");
            List<Path> all = sheets(dir);
            for (int i = all.size() - 1; i >= 0; i--) {
                String name = all.get(i).getFileName().toString();
                html.append("<p>epoch ").append(name, SHEET_PREFIX.length(), name.length() - 4).append("<br><img src=\"")
                        .append(name).append("\" alt=\"reconstruction ").append(name).append("\"></p>\n");
            }
            return html.toString();
        }

        private static List<Path> sheets(Path dir) throws IOException {
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> out = new ArrayList<>(files.filter(f -> {
                    String n = f.getFileName().toString();
                    return n.startsWith(SHEET_PREFIX) && n.endsWith(".png");
                }).toList());
                out.sort((a, b) -> Integer.compare(epochOf(a), epochOf(b)));
                return out;
            }
        }

        private static int epochOf(Path sheet) {
            String n = sheet.getFileName().toString();
            try {
                return Integer.parseInt(n.substring(SHEET_PREFIX.length(), n.length() - 4));
            } catch (NumberFormatException e) {
                return Integer.MAX_VALUE;
            }
        }
    }

    /** Mean loss of an epoch's clips; no other metric. */
    private static final class MeanLoss extends MeanLossAccumulator {
        @Override
        void addMetrics(ClipBatch batch, float[] outputs) {}

        @Override
        public Map<String, Double> summary() {
            return new LinkedHashMap<>();
        }
    }
}

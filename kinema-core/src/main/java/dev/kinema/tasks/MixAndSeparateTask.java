package dev.kinema.tasks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.kinema.audio.ComplexSpectrogram;
import dev.kinema.audio.SeparationSpectra;
import dev.kinema.audio.Spectrogram;
import dev.kinema.data.datasets.VideoSample;
import dev.kinema.data.loader.ClipBatch;
import dev.kinema.data.loader.ClipLoader;
import dev.kinema.data.loader.CropView;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.engine.Scalars;
import dev.kinema.eval.separation.BssEval;
import dev.kinema.models.separation.SoundOfPixels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mix-and-separate ("The Sound of Pixels", Zhao et al. 2018) as a training task: labels are
 * ignored; each batch's clips are shuffled (from the batch's generator) into groups of
 * {@code sources} (2 by default), the videos' solo sounds are added into one mixture per group, and
 * the model ({@code sound-of-pixels}) takes each clip with its group's mixture (log of the
 * log-frequency magnitude, {@link SeparationSpectra}) and predicts that video's mask.
 *
 * <ul>
 *   <li><b>Sound:</b> a video's solo track is the WAV beside it (as {@code kinema synth
 *       --sounding-objects} writes), else its own audio track ({@link SeparationSpectra#readSolo}).
 *       The window (1.01 s by default) starts at a random sample of the track, drawn from the
 *       batch's generator; the frames are the loader's clip. The visual vector is pooled over the
 *       clip's frames, so what it carries is which object sounds, as the paper's three frames
 *       pooled over a 6 s window.
 *   <li><b>Targets:</b> binary (the default): 1 where the source dominates, its magnitude above every
 *       other source's in the group; ratio ({@code mix-and-separate-ratio}): its magnitude over the
 *       mixture's, clipped to [0, 1]. Both on the log-frequency grid, with the paper's
 *       log-magnitude weighted binary cross-entropy: weight {@code clamp(log1p(|mix|), 1e-3, 10)}.
 *   <li><b>Validation:</b> the validation videos in fixed groups (video i with i + V/N, ...), the
 *       centre clip of each and the first window of its sound, each source reconstructed with the
 *       mixture's phase (the sigmoid mask on the linear bins, then the inverse STFT), scored by
 *       {@link BssEval} against the solo windows: mean SDR (the best checkpoint's metric), SIR, SAR
 *       and NSDR in dB.
 * </ul>
 *
 * A batch with fewer clips than {@code sources} cannot be mixed; leftover clips of a batch that
 * does not divide into groups sit that step out.
 */
public final class MixAndSeparateTask implements TrainingTask {
    public static final String NAME = "mix-and-separate";
    public static final String RATIO_NAME = "mix-and-separate-ratio";
    public static final String SDR = "sdr";
    public static final String SIR = "sir";
    public static final String SAR = "sar";
    public static final String NSDR = "nsdr";
    /** Mixtures of two, as the paper trains by default. */
    public static final int DEFAULT_SOURCES = 2;

    /** Binary masks, two sources. */
    public static final TaskDefinition DEFINITION = definition(NAME, DEFAULT_SOURCES, false);
    /** Ratio masks, two sources. */
    public static final TaskDefinition RATIO_DEFINITION = definition(RATIO_NAME, DEFAULT_SOURCES, true);

    private final SeparationSpectra spectra = SoundOfPixels.spectra();
    private final int sources;
    private final boolean ratio;
    private final Map<Path, float[]> solos = new ConcurrentHashMap<>();

    public MixAndSeparateTask(int sources, boolean ratio) {
        if (sources < 2 || sources > BssEval.MAX_SOURCES) {
            throw new IllegalArgumentException("a mixture needs 2 to " + BssEval.MAX_SOURCES + " sources, got " + sources);
        }
        this.sources = sources;
        this.ratio = ratio;
    }

    /** The task {@code name} mixing {@code sources} videos, with ratio or binary masks. */
    public static TaskDefinition definition(String name, int sources, boolean ratio) {
        return new TaskDefinition(name, "visually guided source separation (The Sound of Pixels): mix " + sources
                + " videos' sounds, predict each one's " + (ratio ? "ratio" : "binary") + " mask from its frames",
                List.of(), List.of(decibels(SDR, "SDR"), decibels(SIR, "SIR"), decibels(SAR, "SAR"), decibels(NSDR, "NSDR")),
                SDR, c -> new MixAndSeparateTask(sources, ratio));
    }

    private static Metric decibels(String name, String label) {
        return new Metric(name, label + " (dB)", true, false);
    }

    /** The K channels of the visual vector and the U-Net. */
    @Override
    public int outputs() {
        return SoundOfPixels.DEFAULT_CHANNELS;
    }

    /** A video's solo sound, read once. */
    float[] solo(VideoSample sample) {
        return solos.computeIfAbsent(sample.path(), SeparationSpectra::readSolo);
    }

    @Override
    public Step trainingStep(ClipBatch batch, NDManager manager, SplittableRandom rng) {
        int n = batch.size();
        if (n < sources) {
            throw new IllegalArgumentException("mix-and-separate mixes " + sources + " videos: a batch of " + n
                    + " clips is too small (use --batch " + sources + " or more)");
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int used = n - n % sources;
        float[][] windows = new float[used][];
        for (int i = 0; i < used; i++) {
            float[] wave = solo(batch.samples().get(order[i]));
            int start = wave.length > spectra.samples() ? rng.nextInt(wave.length - spectra.samples() + 1) : 0;
            windows[i] = spectra.window(wave, start);
        }
        Examples examples = examples(windows);
        return new Step(new NDList(clips(batch, order, used, manager), examples.input(manager)),
                new NDList(examples.target(manager), examples.weight(manager)));
    }

    /** The clips of {@code order[0..used)}, in that order. */
    private static NDArray clips(ClipBatch batch, int[] order, int used, NDManager manager) {
        int per = Math.toIntExact(batch.shape().size() / batch.size());
        float[] values = new float[per * used];
        for (int i = 0; i < used; i++) {
            System.arraycopy(batch.values(), order[i] * per, values, i * per, per);
        }
        return manager.create(values, new Shape(used).addAll(batch.shape().slice(1)));
    }

    /** Inputs, targets and weights of consecutive groups of {@code sources} solo windows. */
    private Examples examples(float[][] windows) {
        int plane = spectra.logBins() * spectra.frames();
        Examples e = new Examples(windows.length, plane, spectra);
        for (int g = 0; g + sources <= windows.length; g += sources) {
            float[][] group = java.util.Arrays.copyOfRange(windows, g, g + sources);
            Spectrogram mix = spectra.logMagnitude(spectra.transform(SeparationSpectra.mix(group)));
            float[] logMix = mix.log(SeparationSpectra.LOG_OFFSET).values();
            Spectrogram[] solo = new Spectrogram[sources];
            for (int s = 0; s < sources; s++) {
                solo[s] = spectra.logMagnitude(spectra.transform(group[s]));
            }
            for (int s = 0; s < sources; s++) {
                int base = (g + s) * plane;
                for (int i = 0; i < plane; i++) {
                    float m = mix.values()[i];
                    e.input[base + i] = logMix[i];
                    e.weight[base + i] = (float) Math.max(1e-3, Math.min(10, Math.log1p(m)));
                    float own = solo[s].values()[i];
                    if (ratio) {
                        e.target[base + i] = m > 0 ? Math.min(1f, own / m) : 0f;
                    } else {
                        boolean dominates = true;
                        for (int o = 0; o < sources; o++) {
                            dominates &= o == s || own > solo[o].values()[i];
                        }
                        e.target[base + i] = dominates ? 1f : 0f;
                    }
                }
            }
        }
        return e;
    }

    /** Network input (log magnitude of the mixture), mask targets and loss weights, N×1×F×T each. */
    private record Examples(float[] input, float[] target, float[] weight, Shape shape) {
        Examples(int clips, int plane, SeparationSpectra spectra) {
            this(new float[clips * plane], new float[clips * plane], new float[clips * plane],
                    new Shape(clips, 1, spectra.logBins(), spectra.frames()));
        }

        NDArray input(NDManager m) {
            return m.create(input, shape);
        }

        NDArray target(NDManager m) {
            return m.create(target, shape);
        }

        NDArray weight(NDManager m) {
            return m.create(weight, shape);
        }
    }

    /** The log-magnitude weighted binary cross-entropy of mask logits, averaged over every bin. */
    @Override
    public NDArray loss(NDList outputs, NDList targets) {
        NDArray x = outputs.singletonOrThrow();
        NDArray y = targets.get(0);
        NDArray w = targets.get(1);
        // max(x, 0) - x y + log(1 + exp(-|x|)): BCE with logits, stable for large |x|
        NDArray bce = Scalars.maximum(x, 0).sub(x.mul(y)).add(x.abs().neg().exp().add(1).log());
        return bce.mul(w).mean();
    }

    @Override
    public EpochMetricsAccumulator newEpoch() {
        return new MeanLossAccumulator() {
            @Override
            void addMetrics(ClipBatch batch, float[] outputs) {}

            @Override
            public Map<String, Double> summary() {
                return new LinkedHashMap<>();
            }
        };
    }

    /**
     * The masks (sigmoid of the model's logits, log-frequency grid, one per source) of clips
     * N×3×T×H×W that all sound in {@code mixture} (one window), and each source's waveform separated
     * with the mixture's phase.
     */
    public Separation separate(Block model, NDArray clips, float[] mixture) {
        ComplexSpectrogram mix = spectra.transform(mixture);
        Spectrogram logMix = spectra.logMagnitude(mix);
        int n = (int) clips.getShape().get(0);
        float[] logged = logMix.log(SeparationSpectra.LOG_OFFSET).values();
        int plane = logged.length;
        float[] input = new float[n * plane];
        for (int s = 0; s < n; s++) {
            System.arraycopy(logged, 0, input, s * plane, plane);
        }
        NDManager m = clips.getManager();
        NDArray spec = m.create(input, new Shape(n, 1, spectra.logBins(), spectra.frames()));
        float[] masks = Activation.sigmoid(model.forward(new ParameterStore(m, false), new NDList(clips, spec), false)
                .singletonOrThrow()).toFloatArray();
        float[][] perSource = new float[n][];
        float[][] waves = new float[n][];
        for (int s = 0; s < n; s++) {
            perSource[s] = java.util.Arrays.copyOfRange(masks, s * plane, (s + 1) * plane);
            waves[s] = spectra.separate(mix, spectra.linearMask(perSource[s]));
        }
        return new Separation(logMix, perSource, waves);
    }

    /** What {@link #separate} found: the mixture's log-frequency magnitude, each source's mask and waveform. */
    public record Separation(Spectrogram mixture, float[][] masks, float[][] estimates) {}

    /** The spectrogram geometry this task trains with. */
    public SeparationSpectra spectra() {
        return spectra;
    }

    @Override
    public Validation validate(ValidationPass pass) {
        List<VideoSample> videos = pass.videos();
        int groups = videos.size() / sources;
        List<VideoSample> ordered = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            for (int s = 0; s < sources; s++) {
                ordered.add(videos.get(g + s * groups));
            }
        }
        double[] sums = new double[4];
        int scored = 0;
        int done = 0;
        if (!ordered.isEmpty()) {
            ModelInput input = pass.input();
            try (ClipLoader loader = input.configure(ClipLoader.builder(), pass.flow()).setSamples(ordered)
                    .setSampler(input.sampler().mode("uniform").test(true).clips(1).build())
                    .optViews(CropView.views(1, input.size())).optBatchSize(sources).optShuffle(false)
                    .optWorkers(pass.workers()).optSeed(0).build();
                    ClipLoader.Epoch epoch = loader.epoch(0);
                    NDManager manager = NDManager.newBaseManager()) {
                for (ClipBatch batch : epoch) {
                    done += batch.size();
                    pass.progress().accept(done);
                    if (batch.size() != sources) {
                        continue; // a video of the group could not be read
                    }
                    try (NDManager step = manager.newSubManager()) {
                        float[][] references = new float[sources][];
                        for (int s = 0; s < sources; s++) {
                            references[s] = spectra.window(solo(batch.samples().get(s)), 0);
                        }
                        float[] mixture = SeparationSpectra.mix(references);
                        Separation sep = separate(pass.model(), batch.data(step), mixture);
                        BssEval.WithMixture r = BssEval.evaluate(references, sep.estimates(), mixture);
                        double[] values = {r.result().meanSdr(), r.result().meanSir(), r.result().meanSar(), r.meanNsdr()};
                        if (java.util.Arrays.stream(values).allMatch(Double::isFinite)) {
                            for (int i = 0; i < 4; i++) {
                                sums[i] += values[i];
                            }
                            scored++;
                        }
                    }
                }
            }
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        String[] names = {SDR, SIR, SAR, NSDR};
        for (int i = 0; i < 4; i++) {
            metrics.put(names[i], scored == 0 ? Double.NaN : sums[i] / scored);
        }
        int mixtures = scored;
        return new Validation() {
            @Override
            public Map<String, Double> metrics() {
                return metrics;
            }

            @Override
            public String report(Path dir) {
                return String.format(Locale.ROOT, "<h2>Separation</h2>\n<p>%d validation mixtures of %d videos: SDR %.2f dB,"
                        + " SIR %.2f dB, SAR %.2f dB, NSDR %.2f dB (BSS Eval v3, mean over sources and mixtures).</p>\n",
                        mixtures, sources, metrics.get(SDR), metrics.get(SIR), metrics.get(SAR), metrics.get(NSDR));
            }
        };
    }
}

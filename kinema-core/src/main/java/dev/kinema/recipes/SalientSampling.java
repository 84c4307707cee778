package dev.kinema.recipes;

import ai.djl.Model;
import ai.djl.nn.Block;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.eval.Metrics;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.localization.ClipScores;
import dev.kinema.models.VideoModel;
import dev.kinema.tasks.ClassificationTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.viz.LineChart;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Salient clip sampling (SCSampler, Korbar, Tran and Torresani 2019): a cheap preview model scores
 * every clip of a long video (non-overlapping candidates, one every {@code hop} seconds), and the
 * expensive classifier runs only on the K most salient, whose softmax it averages.
 *
 * <p><b>Saliency is class relevance</b>, the paper's first choice: the preview is a clip classifier
 * trained with a {@code background} class (on the windows {@code kinema synth --untrimmed} writes),
 * and a clip's saliency is {@code 1 − p(background)}, the probability that some action happens in
 * it. (A preview trained without a background class scores a clip by its top class probability.)
 * The expensive model's {@code background} class, if it has one, is left out of the video's
 * prediction.
 */
public final class SalientSampling implements AutoCloseable {
    /** The label of clips in which no action happens. */
    public static final String BACKGROUND = "background";

    private final Run expensive;
    private final Run preview;
    private final double hop;

    /** A loaded run: its model, input and labels, and the MACs of one clip. */
    record Run(Model model, Block block, ModelInput input, List<String> labels, long macs) implements AutoCloseable {
        static Run open(RunDir run) throws IOException {
            run.requireTask("salient sampling", ClassificationTask.NAME);
            Model model = Model.newInstance(run.config().model());
            try {
                Block block = run.loadModel(model.getNDManager(), ModelFactory.registry());
                long macs = block instanceof VideoModel v ? v.macs() : run.card().macs() == null ? 0 : run.card().macs();
                return new Run(model, block, run.input(), run.labels(), macs);
            } catch (IOException | RuntimeException e) {
                model.close();
                throw e;
            }
        }

        ClipScores score(Path video, double[] starts) {
            return ClipScores.at(block, input, labels, video, starts);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** One video under both samplers: every candidate's saliency and expensive-model scores, and their costs. */
    public record Scored(Path video, double[] starts, double[] saliency, float[][] probabilities, List<String> labels,
            double previewSeconds, double expensiveSecondsPerClip) {
        public int candidates() {
            return starts.length;
        }
    }

    /** What {@link #compare} reports for one sampler and K: video top-1, GMACs and seconds per video. */
    public record Point(String sampler, int clips, double accuracy, double gmacsPerVideo, double secondsPerVideo) {}

    private SalientSampling(Run expensive, Run preview, double hop) {
        this.expensive = expensive;
        this.preview = preview;
        this.hop = hop;
    }

    /** The expensive run {@code run} and the preview run {@code previewRun}, candidates every {@code hop} seconds. */
    public static SalientSampling open(Path run, Path previewRun, double hop) throws IOException {
        return open(RunDir.open(run), previewRun, hop);
    }

    /** As {@link #open(Path, Path, double)}, the expensive run's weights from the checkpoint {@code run} reads. */
    public static SalientSampling open(RunDir run, Path previewRun, double hop) throws IOException {
        if (!(hop > 0)) {
            throw new IllegalArgumentException("the candidate hop must be > 0 seconds, got " + hop);
        }
        Run e = Run.open(run);
        try {
            return new SalientSampling(e, Run.open(RunDir.open(previewRun)), hop);
        } catch (IOException | RuntimeException ex) {
            e.close();
            throw ex;
        }
    }

    /** Classifies {@code video} from its {@code k} most salient candidate clips. */
    public VideoClassifier.Classification classify(Path video, int k) {
        ClipScores previewed = previewEveryClip(video);
        double[] starts = previewed.starts();
        double[] saliency = saliency(previewed);
        int[] chosen = mostSalient(saliency, k);
        double[] chosenStarts = Arrays.stream(chosen).mapToDouble(j -> starts[j]).toArray();
        ClipScores scores = expensive.score(video, chosenStarts);
        List<VideoClassifier.ClipPrediction> clips = new ArrayList<>();
        for (int i = 0; i < scores.clips(); i++) {
            float[] p = scores.probabilities()[i];
            int best = bestAction(p, expensive.labels);
            clips.add(new VideoClassifier.ClipPrediction(scores.starts()[i], scores.ends()[i], expensive.labels.get(best),
                    p[best]));
        }
        float[] mean = Metrics.mean(List.of(scores.probabilities()));
        List<VideoClassifier.LabelProbability> top = new ArrayList<>();
        for (int c : Metrics.topK(mean, Math.min(5, mean.length))) {
            top.add(new VideoClassifier.LabelProbability(expensive.labels.get(c), mean[c]));
        }
        return new VideoClassifier.Classification(video, top, clips);
    }

    /** Scores every candidate clip of {@code video} with both models, timing each. */
    public Scored score(Path video) {
        long t0 = System.nanoTime();
        ClipScores previewed = previewEveryClip(video);
        double[] starts = previewed.starts();
        double[] saliency = saliency(previewed);
        long t1 = System.nanoTime();
        ClipScores all = expensive.score(video, starts);
        long t2 = System.nanoTime();
        return new Scored(video, starts, saliency, all.probabilities(), expensive.labels, (t1 - t0) / 1e9,
                (t2 - t1) / 1e9 / starts.length);
    }

    /**
     * Video top-1 of uniform and salient sampling at each K over {@code videos} (scored by
     * {@link #score}) whose true classes are {@code truth}, with GMACs and seconds per video: the
     * expensive model's per clip times K, plus, for salient sampling, the preview over every
     * candidate.
     */
    public List<Point> compare(List<Scored> videos, List<String> truth, int[] ks) {
        return compare(videos, truth, ks, expensive.macs, preview.macs);
    }

    /** {@link #compare(List, List, int[])} for models of {@code expensiveMacs} and {@code previewMacs} per clip. */
    static List<Point> compare(List<Scored> videos, List<String> truth, int[] ks, long expensiveMacs, long previewMacs) {
        List<Point> points = new ArrayList<>();
        for (String sampler : List.of("uniform", "salient")) {
            for (int k : ks) {
                int right = 0;
                double gmacs = 0;
                double seconds = 0;
                for (int v = 0; v < videos.size(); v++) {
                    Scored s = videos.get(v);
                    int kk = Math.min(k, s.candidates());
                    int[] chosen = sampler.equals("uniform") ? uniform(s.candidates(), kk) : mostSalient(s.saliency(), kk);
                    float[] mean = Metrics.mean(Arrays.stream(chosen).mapToObj(j -> s.probabilities()[j]).toList());
                    right += s.labels().get(bestAction(mean, s.labels())).equals(truth.get(v)) ? 1 : 0;
                    gmacs += kk * expensiveMacs / 1e9;
                    seconds += kk * s.expensiveSecondsPerClip();
                    if (sampler.equals("salient")) {
                        gmacs += s.candidates() * previewMacs / 1e9;
                        seconds += s.previewSeconds();
                    }
                }
                int n = videos.size();
                points.add(new Point(sampler, k, (double) right / n, gmacs / n, seconds / n));
            }
        }
        return points;
    }

    /** The accuracy-against-GMACs chart of {@link #compare}'s points, one line per sampler, as a PNG at {@code png}. */
    public static Path plot(List<Point> points, Path png) {
        LineChart.Builder chart = LineChart.builder().setTitle("video top-1 against compute: uniform vs salient")
                .optAxisLabels("GMACs per video", "video top-1").optYRange(0, 1);
        List<String> samplers = points.stream().map(Point::sampler).distinct().toList();
        for (int i = 0; i < samplers.size(); i++) {
            String sampler = samplers.get(i);
            List<Point> line = points.stream().filter(p -> p.sampler().equals(sampler)).toList();
            chart.addSeries(sampler, line.stream().mapToDouble(Point::gmacsPerVideo).toArray(),
                    line.stream().mapToDouble(Point::accuracy).toArray(), LineChart.PALETTE.get(i % LineChart.PALETTE.size()));
        }
        return chart.build().writePng(png);
    }

    /** The preview's scores of every candidate clip: one every {@code hop} seconds over the video. */
    private ClipScores previewEveryClip(Path video) {
        return ClipScores.of(preview.block, preview.input, preview.labels, video, hop);
    }

    /** Saliency of each clip: 1 − p(background), or the top class probability without a background class. */
    static double[] saliency(ClipScores preview) {
        int background = preview.labels().indexOf(BACKGROUND);
        return Arrays.stream(preview.probabilities()).mapToDouble(p -> background >= 0 ? 1 - p[background]
                : p[Metrics.argmax(p)]).toArray();
    }

    /** The {@code k} most salient candidates, in time order (ties to the earlier clip). */
    static int[] mostSalient(double[] saliency, int k) {
        return IntStream.range(0, saliency.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(j -> -saliency[j]).thenComparingInt(j -> j))
                .limit(k).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** {@code k} candidates spread evenly over {@code n}: the centre of each of k equal parts. */
    static int[] uniform(int n, int k) {
        return IntStream.range(0, k).map(i -> (int) Math.min(n - 1, Math.floor((i + 0.5) * n / k))).distinct().toArray();
    }

    /** The top class that is not background. */
    static int bestAction(float[] p, List<String> labels) {
        int best = -1;
        for (int c = 0; c < p.length; c++) {
            if (!labels.get(c).equals(BACKGROUND) && (best < 0 || p[c] > p[best])) {
                best = c;
            }
        }
        return best < 0 ? Metrics.argmax(p) : best;
    }

    @Override
    public void close() {
        preview.close();
        expensive.close();
    }
}

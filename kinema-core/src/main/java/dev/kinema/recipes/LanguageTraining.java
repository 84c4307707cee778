package dev.kinema.recipes;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.eval.captions.VideoCaptioner;
import dev.kinema.io.AtomicFiles;
import dev.kinema.models.language.TextGenerator;
import dev.kinema.models.language.TokenRows;
import dev.kinema.models.language.VideoLanguageModel;
import dev.kinema.models.language.VideoLanguageRun;
import dev.kinema.models.language.WordTokenizer;
import dev.kinema.synth.CaptionDatasetWriter;
import dev.kinema.tasks.NextTokenTask;
import dev.kinema.tasks.TrainingTask;
import dev.kinema.train.ModelFactory;
import dev.kinema.train.RunDir;
import dev.kinema.train.StatefulOptimizer;
import dev.kinema.weights.ParameterNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * {@code kinema train-language}: a video-language run trained on a captions dataset
 * ({@code kinema synth --captions}: {@value CaptionDatasetWriter#CAPTIONS} and
 * {@value CaptionDatasetWriter#QA}) in the three stages of Video-LLaVA, each with
 * {@link NextTokenTask}'s next-token cross-entropy and AdamW:
 * <ol>
 *   <li>text: the decoder alone on the training captions and question-answer pairs;</li>
 *   <li>align: the projector alone, encoder and decoder frozen, on the captions with their video;</li>
 *   <li>fine-tune: projector and decoder on captions and questions together (the encoder stays
 *       frozen, as Video-LLaVA keeps its vision tower frozen).</li>
 * </ol>
 * Each training video gives one centre clip, decoded once as evaluation decodes clips; the encoder
 * starts from its registry initialisation, or from a trained classification run's weights
 * ({@link Config#withEncoderRun}), which is what lets the projector read motion.
 * A step draws {@code batch} examples at random. The run is saved atomically
 * ({@link VideoLanguageRun#save}), then {@link #predict} writes the test split's captions and answers.
 */
public final class LanguageTraining {
    /** What to train and how long. */
    public record Config(Path data, String encoder, int frames, int frameStride, int size, int dim, int heads, int layers,
            int videoTokens, int projectorHidden, int textSteps, int alignSteps, int fineTuneSteps, int batch, float learningRate,
            long seed, Path encoderRun) {
        /** The defaults {@code kinema train-language} uses: a 2-layer, 64-wide decoder, 8-frame 56×56 clips. */
        public static Config defaults(Path data, String encoder) {
            return new Config(data, encoder, 8, 3, 56, 64, 4, 2, 2, 128, 300, 200, 600, 16, 2e-3f, 0, null);
        }

        public Config withSteps(int text, int align, int fineTune) {
            return new Config(data, encoder, frames, frameStride, size, dim, heads, layers, videoTokens, projectorHidden, text, align,
                    fineTune, batch, learningRate, seed, encoderRun);
        }

        public Config withSeed(long newSeed) {
            return new Config(data, encoder, frames, frameStride, size, dim, heads, layers, videoTokens, projectorHidden, textSteps,
                    alignSteps, fineTuneSteps, batch, learningRate, newSeed, encoderRun);
        }

        public Config withClip(int newFrames, int newStride, int newSize) {
            return new Config(data, encoder, newFrames, newStride, newSize, dim, heads, layers, videoTokens, projectorHidden, textSteps,
                    alignSteps, fineTuneSteps, batch, learningRate, seed, encoderRun);
        }

        /**
         * The encoder taken from a trained classification run ({@code kinema train}): its model,
         * clip (frames, stride, size) and weights replace {@link #encoder}'s, and it stays frozen.
         */
        public Config withEncoderRun(Path run) throws IOException {
            RunDir dir = RunDir.open(run);
            ModelInput in = dir.input();
            if (in.frameStride() == null) {
                throw new IllegalArgumentException(run + ": its clips are sampled at a frame rate; a video-language"
                        + " encoder needs a run sampled with a frame stride");
            }
            return new Config(data, dir.config().model(), in.frames(), in.frameStride(), in.size(), dim, heads, layers, videoTokens,
                    projectorHidden, textSteps, alignSteps, fineTuneSteps, batch, learningRate, seed, run);
        }
    }

    /** One example: which video (index into the decoded clips) and the prompt and target. */
    private record Example(int video, TokenRows.Example text) {}

    /** The mean loss of each stage's first and last tenth of steps. */
    public record StageLoss(String stage, int steps, double first, double last) {}

    public record Result(Path run, List<StageLoss> stages, int trainVideos, int vocabulary) {}

    /** The caption and question prompts, without {@code <video>}: training rows put it after {@code <bos>}. */
    static final String CAPTION = VideoCaptioner.CAPTION_PROMPT.replace(WordTokenizer.VIDEO, "").strip();

    static String question(String q) {
        return VideoCaptioner.questionPrompt(q).replace(WordTokenizer.VIDEO, "").strip();
    }

    private static final int MAX_TOKENS = 48;

    private LanguageTraining() {}

    /** Trains the three stages and saves the run in {@code out}; {@code log} receives one line per stage. */
    public static Result train(Config c, Path out, Consumer<String> log) throws IOException {
        JsonNode captions = read(c.data().resolve(CaptionDatasetWriter.CAPTIONS));
        JsonNode qa = read(c.data().resolve(CaptionDatasetWriter.QA));
        Map<String, Integer> videoIndex = new LinkedHashMap<>();
        List<Path> videos = new ArrayList<>();
        for (JsonNode v : captions.path("videos")) {
            if ("train".equals(v.path("split").asText())) {
                videoIndex.put(v.path("video_id").asText(), videos.size());
                videos.add(c.data().resolve(v.path("path").asText()));
            }
        }
        if (videos.isEmpty()) {
            throw new IllegalArgumentException(c.data().resolve(CaptionDatasetWriter.CAPTIONS) + ": no training videos");
        }
        List<Example> captionExamples = new ArrayList<>();
        for (JsonNode s : captions.path("sentences")) {
            Integer v = videoIndex.get(s.path("video_id").asText());
            if (v != null) {
                captionExamples.add(new Example(v, new TokenRows.Example(CAPTION, s.path("caption").asText())));
            }
        }
        List<Example> qaExamples = new ArrayList<>();
        for (JsonNode q : qa) {
            Integer v = videoIndex.get(q.path("video_id").asText());
            if (v != null) {
                qaExamples.add(new Example(v, new TokenRows.Example(question(q.path("question").asText()), q.path("answer").asText())));
            }
        }
        List<Example> all = new ArrayList<>(captionExamples);
        all.addAll(qaExamples);
        List<String> texts = new ArrayList<>();
        all.forEach(e -> texts.add(e.text().prompt() + " " + e.text().target()));
        WordTokenizer tokenizer = WordTokenizer.fit(texts);
        RunDir encoderRun = c.encoderRun() == null ? null : RunDir.open(c.encoderRun());
        int encoderClasses = encoderRun == null ? 1 : encoderRun.labels().size();
        VideoLanguageRun spec = new VideoLanguageRun(c.encoder(), encoderClasses, c.frames(), c.frameStride(), c.size(), c.dim(), c.heads(), c.layers(),
                MAX_TOKENS + c.videoTokens(), c.videoTokens(), c.projectorHidden(), tokenizer.vocabulary());

        List<StageLoss> stages = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed((int) c.seed());
            VideoLanguageModel model = spec.build(manager);
            if (encoderRun != null) {
                Block trained = encoderRun.loadModel(manager, ModelFactory.registry());
                int copied = ParameterNames.copy(trained, model.encoder(), encoderRun.dir());
                log.accept("encoder: " + copied + " tensors of " + c.encoder() + " from " + encoderRun.dir());
            }
            NDArray clips = decode(manager, model, spec, videos);
            log.accept("decoded " + videos.size() + " training clips " + clips.getShape() + "; vocabulary " + tokenizer.size());
            SplittableRandom rng = new SplittableRandom(c.seed());
            model.encoder().freezeParameters(true);

            stages.add(stage("text", manager, model.decoder(), new NextTokenTask(tokenizer, false, MAX_TOKENS), all, null, c.textSteps(),
                    c, rng, log));
            model.decoder().freezeParameters(true);
            stages.add(stage("align", manager, model, new NextTokenTask(tokenizer, true, MAX_TOKENS), captionExamples, clips,
                    c.alignSteps(), c, rng, log));
            model.decoder().freezeParameters(false);
            stages.add(stage("fine-tune", manager, model, new NextTokenTask(tokenizer, true, MAX_TOKENS), all, clips, c.fineTuneSteps(),
                    c, rng, log));
            Files.createDirectories(out);
            spec.save(out, model);
        }
        return new Result(out, stages, videos.size(), tokenizer.size());
    }

    /** One centre clip per video, stacked N×C×T×H×W. */
    private static NDArray decode(NDManager manager, VideoLanguageModel model, VideoLanguageRun spec, List<Path> videos) {
        VideoClassifier prepare = new VideoClassifier(model.encoder(), input(spec), List.of("0"));
        NDList list = new NDList();
        for (Path v : videos) {
            list.add(prepare.prepare(manager, v, 1).batch());
        }
        return NDArrays.concat(list, 0);
    }

    private static ModelInput input(VideoLanguageRun spec) {
        return new ModelInput(spec.frames(), spec.frameStride(), null, spec.size(), ModelInput.defaultResize(spec.size()));
    }

    private static StageLoss stage(String name, NDManager manager, Block trained, NextTokenTask task, List<Example> examples,
            NDArray clips, int steps, Config c, SplittableRandom rng, Consumer<String> log) {
        int tenth = Math.max(1, steps / 10);
        double first = 0;
        double last = 0;
        long start = System.nanoTime();
        try (StatefulOptimizer optimizer = StatefulOptimizer.adamw(manager, 0.9f, 0.999f, 1e-8f, 0f)) {
            for (int s = 0; s < steps; s++) {
                try (NDManager step = manager.newSubManager()) {
                    int[] picked = IntStream.range(0, c.batch()).map(i -> rng.nextInt(examples.size())).toArray();
                    List<TokenRows.Example> rows = new ArrayList<>();
                    for (int p : picked) {
                        rows.add(examples.get(p).text());
                    }
                    NDArray batchClips = null;
                    if (clips != null) {
                        batchClips = clips.get(step.create(IntStream.of(picked).mapToLong(p -> examples.get(p).video()).toArray()));
                        // DJL puts the rows on the clips' (whole run's) manager, and every activation computed
                        // from them would follow: 17 GB after 260 steps of slow-fusion before this line.
                        batchClips.attach(step);
                    }
                    TrainingTask.Step batch = task.step(TokenRows.of(task.tokenizer(), rows, clips != null, MAX_TOKENS), batchClips, step);
                    float loss;
                    try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                        NDList outputs = trained.forward(new ParameterStore(step, false), batch.inputs(), true);
                        NDArray l = task.loss(outputs, batch.targets());
                        loss = l.getFloat();
                        collector.backward(l);
                    }
                    optimizer.step(trained.getParameters(), c.learningRate(), step);
                    if (s < tenth) {
                        first += loss / tenth;
                    }
                    if (s >= steps - tenth) {
                        last += loss / tenth;
                    }
                }
            }
        }
        log.accept(String.format(java.util.Locale.ROOT, "%s: %d steps, loss %.3f -> %.3f (%.0f s)", name, steps, first, last,
                (System.nanoTime() - start) / 1e9));
        return new StageLoss(name, steps, first, last);
    }

    /**
     * Greedy captions and answers for the {@code split} videos of {@code data} by the run in {@code run}:
     * {@code captions.json} ([{video_id, caption}]) and {@code answers.json} ([{id, answer}]) in
     * {@code out}, what {@code kinema metrics captions} reads.
     */
    public static void predict(Path run, Path data, String split, Path out) throws IOException {
        JsonNode captions = read(data.resolve(CaptionDatasetWriter.CAPTIONS));
        JsonNode qa = read(data.resolve(CaptionDatasetWriter.QA));
        List<Map<String, Object>> predictedCaptions = new ArrayList<>();
        List<Map<String, Object>> answers = new ArrayList<>();
        Map<String, Path> paths = new LinkedHashMap<>();
        // kinema caption's default length, so the command repeats what is scored.
        TextGenerator.Options greedy = TextGenerator.Options.greedy(16);
        try (VideoCaptioner captioner = VideoCaptioner.open(run)) {
            for (JsonNode v : captions.path("videos")) {
                if (split.equals(v.path("split").asText())) {
                    Path file = data.resolve(v.path("path").asText());
                    paths.put(v.path("video_id").asText(), file);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("video_id", v.path("video_id").asText());
                    row.put("caption", captioner.caption(file, greedy));
                    predictedCaptions.add(row);
                }
            }
            for (JsonNode q : qa) {
                Path file = paths.get(q.path("video_id").asText());
                if (file != null) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("id", q.path("id").asInt());
                    row.put("answer", captioner.ask(file, q.path("question").asText(), greedy));
                    answers.add(row);
                }
            }
        }
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        AtomicFiles.write(out.resolve("captions.json"), o -> json.writeValue(o, predictedCaptions));
        AtomicFiles.write(out.resolve("answers.json"), o -> json.writeValue(o, answers));
    }

    private static JsonNode read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": missing (make the dataset with kinema synth --captions)");
        }
        return new ObjectMapper().readTree(file.toFile());
    }
}

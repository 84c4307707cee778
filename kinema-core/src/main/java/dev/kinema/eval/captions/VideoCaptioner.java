package dev.kinema.eval.captions;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.kinema.data.loader.ModelInput;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.models.language.TextGenerator;
import dev.kinema.models.language.VideoLanguageModel;
import dev.kinema.models.language.VideoLanguageRun;
import dev.kinema.models.language.WordTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A trained video-language run answering prompts about videos: {@link #caption}, {@link #ask}, or
 * any {@link #prompt} with {@code <video>} where the video's tokens go. A video is one centre clip
 * decoded as evaluation decodes clips ({@link VideoClassifier#prepare}). The prompts are those the
 * model was trained with: {@value #CAPTION_PROMPT}, and {@code <video> question: Q answer:}.
 */
public final class VideoCaptioner implements AutoCloseable {
    public static final String CAPTION_PROMPT = "<video> caption:";

    private final NDManager manager;
    private final VideoLanguageModel model;
    private final WordTokenizer tokenizer;
    private final VideoClassifier clips;

    private VideoCaptioner(NDManager manager, VideoLanguageModel model, VideoLanguageRun spec) {
        this.manager = manager;
        this.model = model;
        this.tokenizer = spec.tokenizer();
        ModelInput input = new ModelInput(spec.frames(), spec.frameStride(), null, spec.size(), ModelInput.defaultResize(spec.size()));
        this.clips = new VideoClassifier(model.encoder(), input,
                IntStream.range(0, spec.encoderClasses()).mapToObj(Integer::toString).toList());
    }

    /** The run in {@code dir} ({@link VideoLanguageRun}), ready to generate. */
    public static VideoCaptioner open(Path dir) throws IOException {
        NDManager manager = NDManager.newBaseManager();
        try {
            VideoLanguageRun spec = VideoLanguageRun.read(dir);
            return new VideoCaptioner(manager, VideoLanguageRun.load(dir, manager), spec);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The prompt a question is asked with. */
    public static String questionPrompt(String question) {
        return "<video> question: " + question + " answer:";
    }

    public String caption(Path video, TextGenerator.Options options) {
        return prompt(video, CAPTION_PROMPT, options);
    }

    public String ask(Path video, String question, TextGenerator.Options options) {
        return prompt(video, questionPrompt(question), options);
    }

    /** The text generated after {@code template}, whose one {@code <video>} is replaced by the video's tokens. */
    public String prompt(Path video, String template, TextGenerator.Options options) {
        List<String> words = WordTokenizer.split(template);
        if (words.stream().filter(WordTokenizer.VIDEO::equals).count() != 1) {
            throw new IllegalArgumentException("a prompt holds <video> exactly once, where the video goes: '" + template + "'");
        }
        try (NDManager step = manager.newSubManager()) {
            ParameterStore parameters = new ParameterStore(step, false);
            NDArray clip = clips.prepare(step, video, 1).batch();
            NDArray videoTokens = model.videoEmbeddings(parameters, clip, false);
            long[] ids = new long[words.size() + 1];
            ids[0] = tokenizer.id(WordTokenizer.BOS);
            for (int i = 0; i < words.size(); i++) {
                ids[i + 1] = tokenizer.id(words.get(i));
            }
            NDArray prefix = model.splice(parameters, step.create(ids).reshape(1, ids.length), videoTokens,
                    tokenizer.id(WordTokenizer.VIDEO));
            int[] generated = new TextGenerator(model.decoder(), tokenizer.id(WordTokenizer.EOS))
                    .generate(parameters, prefix, options, true);
            return tokenizer.decode(generated);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

package dev.kinema.cli;

import dev.kinema.eval.captions.VideoCaptioner;
import dev.kinema.models.language.TextGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kinema caption}, {@code ask} and {@code prompt}: a video-language run
 * ({@code models.language.VideoLanguageRun}) generating text about one video, through
 * {@link VideoCaptioner}.
 */
final class LanguageCommands {
    private LanguageCommands() {}

    /** The run and how to generate: shared by the three commands. */
    static final class GenerationOptions {
        @Option(names = "--run", required = true, paramLabel = "RUN", description = "A video-language run directory (language.json, language.params).")
        Path run;

        @Option(names = "--max-tokens", paramLabel = "N", defaultValue = "16", description = "Most tokens to generate (default: ${DEFAULT-VALUE}).")
        int maxTokens;

        @Option(names = "--beams", paramLabel = "B", defaultValue = "1", description = "Beam width; 1 is greedy (default: ${DEFAULT-VALUE}).")
        int beams;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "0",
                description = "Sample at this temperature instead of taking the most likely token (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "When sampling, only the K most likely tokens (0: all).")
        int topK;

        @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Sampling seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        TextGenerator.Options generation() {
            return new TextGenerator.Options(maxTokens, beams, temperature, topK, seed);
        }

        /** Generates after {@code prompt} about {@code video} and prints the text under {@code key}. */
        int generate(CommandSpec spec, Path video, String prompt, String key) throws IOException {
            String text;
            try (VideoCaptioner captioner = VideoCaptioner.open(run)) {
                text = captioner.prompt(video, prompt, generation());
            }
            if (json) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("video", video.toString());
                o.put("prompt", prompt);
                o.put(key, text);
                spec.commandLine().getOut().println(Json.line(o));
            } else {
                spec.commandLine().getOut().println(text);
            }
            return 0;
        }
    }

    @Command(name = "caption", mixinStandardHelpOptions = true, description = "Caption a video with a video-language run.")
    static final class Caption implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VIDEO")
        Path video;

        @Mixin
        GenerationOptions options;

        @Override
        public Integer call() throws IOException {
            return options.generate(spec, video, VideoCaptioner.CAPTION_PROMPT, "caption");
        }
    }

    @Command(name = "ask", mixinStandardHelpOptions = true, description = "Answer a question about a video with a video-language run.")
    static final class Ask implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VIDEO")
        Path video;

        @Parameters(index = "1", paramLabel = "QUESTION")
        String question;

        @Mixin
        GenerationOptions options;

        @Override
        public Integer call() throws IOException {
            return options.generate(spec, video, VideoCaptioner.questionPrompt(question), "answer");
        }
    }

    @Command(name = "prompt", mixinStandardHelpOptions = true,
            description = "Continue a prompt about a video; <video> in the prompt is where the video's tokens go.")
    static final class Prompt implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "VIDEO")
        Path video;

        @Option(names = "--prompt", required = true, paramLabel = "TEMPLATE", description = "e.g. \"<video> question: what colour is the figure? answer:\"")
        String prompt;

        @Mixin
        GenerationOptions options;

        @Override
        public Integer call() throws IOException {
            return options.generate(spec, video, prompt, "text");
        }
    }
}

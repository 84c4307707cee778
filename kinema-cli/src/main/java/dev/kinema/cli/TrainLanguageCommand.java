package dev.kinema.cli;

import dev.kinema.recipes.LanguageTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema train-language}: {@link LanguageTraining}'s three stages on a captions dataset,
 * the run saved for {@code kinema caption|ask|prompt}, then greedy predictions for one split.
 */
@Command(name = "train-language", mixinStandardHelpOptions = true,
        description = {"Train a video-language run (text pretraining, projector alignment, fine-tuning on captions and QA)",
            "on a dataset from 'kinema synth --captions', then caption and answer its test split."})
final class TrainLanguageCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "A dataset with captions.json and qa.json.")
    Path data;

    @Option(names = "--model", defaultValue = "toy-3d", paramLabel = "NAME",
            description = "The video encoder, a registered model (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--encoder", paramLabel = "RUN",
            description = "Take the frozen video encoder from a trained classification run (kinema train): its model, clip and weights"
                    + " replace --model, --frames, --stride and --size.")
    Path encoderRun;

    @Option(names = "--out", required = true, paramLabel = "RUN", description = "The run directory to write.")
    Path out;

    @Option(names = "--frames", defaultValue = "8", description = "Frames per clip (default: ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--stride", defaultValue = "3", description = "Source frames between clip frames (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--size", defaultValue = "56", description = "Clip height and width (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--steps", split = ",", paramLabel = "TEXT,ALIGN,FINETUNE", defaultValue = "300,200,600",
            description = "Steps of the three stages (default: ${DEFAULT-VALUE}).")
    int[] steps;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Option(names = "--predict", defaultValue = "test", paramLabel = "SPLIT",
            description = "Write captions and answers for this split into RUN/predictions-SPLIT ('none' to skip; default: ${DEFAULT-VALUE}).")
    String predict;

    @Override
    public Integer call() throws IOException {
        if (steps.length != 3) {
            throw new IllegalArgumentException("--steps takes three numbers (text, align, fine-tune), got " + steps.length);
        }
        PrintWriter o = spec.commandLine().getOut();
        LanguageTraining.Config config = LanguageTraining.Config.defaults(data, model).withClip(frames, stride, size)
                .withSteps(steps[0], steps[1], steps[2]).withSeed(seed);
        if (encoderRun != null) {
            config = config.withEncoderRun(encoderRun);
        }
        LanguageTraining.Result result = LanguageTraining.train(config, out, line -> {
            o.println(line);
            o.flush();
        });
        o.println("saved " + result.run());
        if (!"none".equals(predict)) {
            Path predictions = out.resolve("predictions-" + predict);
            LanguageTraining.predict(out, data, predict, predictions);
            o.println("predictions: " + predictions.resolve("captions.json") + ", " + predictions.resolve("answers.json"));
        }
        return 0;
    }
}

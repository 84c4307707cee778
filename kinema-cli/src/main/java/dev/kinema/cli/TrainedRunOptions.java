package dev.kinema.cli;

import dev.kinema.train.RunDir;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What every command that runs a trained run on videos takes: the run and which of its checkpoints,
 * how many uniform clips per video, and where a flow model's optical flow comes from ({@code kinema eval}, {@code kinema classify}).
 */
final class TrainedRunOptions {
    @Option(names = "--run", paramLabel = "RUN", description = "Run directory written by kinema train (required).")
    Path run;

    @Option(names = "--clips", paramLabel = "K", defaultValue = "10", description = "Clips per video (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--checkpoint", paramLabel = "last|best|FILE", defaultValue = "last",
            description = "Which weights of the run: the last epoch's (default), best (RUN/best.ckpt, the epoch best"
                    + " by validation), or a checkpoint file of this run.")
    String checkpoint;

    @Mixin
    FlowOptions flow;

    /** The run, its model's weights read from the checkpoint {@code --checkpoint} chose. */
    RunDir open(CommandSpec spec) throws IOException {
        RunDir dir = RunDir.open(run(spec));
        return switch (checkpoint) {
            case "last" -> dir;
            case "best" -> dir.withWeightsFrom(dir.file(RunDir.BEST));
            default -> dir.withWeightsFrom(Path.of(checkpoint));
        };
    }

    /**
     * The run; refused as picocli refuses a missing required option. Not required at parsing, so
     * that {@code kinema classify --policy RUN_POLICY} can go without it.
     */
    Path run(CommandSpec spec) {
        if (run == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--run=RUN'");
        }
        return run;
    }
}

package dev.kinema.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every command that runs a trained run on videos takes: the run, how many uniform clips per
 * video, and where a flow model's optical flow comes from ({@code kinema eval}, {@code kinema classify}).
 */
final class TrainedRunOptions {
    @Option(names = "--run", paramLabel = "RUN", required = true, description = "Run directory written by kinema train.")
    Path run;

    @Option(names = "--clips", paramLabel = "K", defaultValue = "10", description = "Clips per video (default: ${DEFAULT-VALUE}).")
    int clips;

    @Mixin
    FlowOptions flow;
}

package dev.kinema.cli;

import dev.kinema.video.VideoDecodeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kinema} command: one subcommand per capability. */
@Command(
        name = "kinema",
        mixinStandardHelpOptions = true,
        version = "kinema 0.1.0",
        description = "Video understanding for the JVM.",
        subcommands = {
            ProbeCommand.class,
            SampleCommand.class,
            ClipCommand.class,
            BenchCommand.class,
            DemoCommand.class,
            CompareCommand.class,
            SynthCommand.class,
            DatasetCommand.class,
            ModelsCommand.class,
            FeaturesCommand.class,
            TrainCommand.class,
            EvalCommand.class,
            ClassifyCommand.class,
            FlowCommand.class,
            FlowVizCommand.class,
            RunModelCommand.class,
            ImportCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Kinema implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    /** The configured command line, for callers that redirect its output. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Kinema());
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            // A user's bad file is an expected outcome, not a bug: one clear line, no stack trace.
            if (ex instanceof VideoDecodeException || ex instanceof IllegalArgumentException
                    || ex instanceof java.io.UncheckedIOException || ex instanceof java.io.IOException) {
                line.getErr().println("kinema: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cli;
    }
}

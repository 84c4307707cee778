package dev.kinema.cli;

import dev.kinema.serve.ServeCommand;
import dev.kinema.serve.ServeLoadCommand;
import dev.kinema.spark.SparkCommand;
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
            PretrainCommand.class,
            EvalCommand.class,
            ClassifyCommand.class,
            FlowCommand.class,
            FlowVizCommand.class,
            RunModelCommand.class,
            ImportCommand.class,
            DoctorCommand.class,
            ServeCommand.class,
            ServeLoadCommand.class,
            SparkCommand.class,
            MetricsCommand.class,
            LocalizeCommand.class,
            ExplainCommand.class,
            AdaMmlCommand.class,
            StreamCommand.class,
            AudioCommand.class,
            DetectCommand.class,
            LanguageCommands.Caption.class,
            LanguageCommands.Ask.class,
            LanguageCommands.Prompt.class,
            TrainLanguageCommand.class,
            AvSyncCommand.class,
            AvLocalizeCommand.class,
            SeparateCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Kinema implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "On a failure, print the full Java stack trace (also: KINEMA_LOG=debug).")
    boolean debug;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(String... args) {
        CommandLine cli = newCommandLine();
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            // Errors pass picocli's handler; memory is the one a user can do something about.
            return FailureReport.report(e, cli.getErr(), FailureReport.debugRequested(false));
        }
    }

    /** {@code --debug} may come after any subcommand (it is inherited). */
    private static boolean debugOption(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) {
                return true;
            }
        }
        return false;
    }

    /** The configured command line, for callers that redirect its output. */
    public static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new Kinema());
        // Every failure is one line (FailureReport); a trace only when asked for.
        cli.setExecutionExceptionHandler((ex, line, parsed) -> FailureReport.report(ex, line.getErr(),
                FailureReport.debugRequested(debugOption(parsed))));
        return cli;
    }
}

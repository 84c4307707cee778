package dev.kinema.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what it prints. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintStream oldOut = System.out;
        ByteArrayOutputStream sysOut = new ByteArrayOutputStream();
        int code;
        try {
            // Some commands print through System.out (progress, tables); capture both paths.
            System.setOut(new PrintStream(sysOut, true, StandardCharsets.UTF_8));
            CommandLine cli = Kinema.newCommandLine();
            cli.setOut(new PrintWriter(out, true));
            cli.setErr(new PrintWriter(err, true));
            code = cli.execute(args);
        } finally {
            System.setOut(oldOut);
        }
        return new CliRun(code, out + sysOut.toString(StandardCharsets.UTF_8), err.toString());
    }
}

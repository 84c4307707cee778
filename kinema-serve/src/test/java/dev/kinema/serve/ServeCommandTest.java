package dev.kinema.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code kinema serve}'s options: run names, and clear refusals instead of a server that cannot work. */
class ServeCommandTest {
    @Test
    void runsAreNamedByTheirFolderUnlessNamed() {
        Map<String, Path> models = ServeCommand.models(List.of("runs/demo", "fast=runs/x3d"));
        assertEquals(List.of("demo", "fast"), List.copyOf(models.keySet()));
        assertEquals(Path.of("runs/x3d"), models.get("fast"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> ServeCommand.models(List.of("a/demo", "b/demo")));
        assertTrue(twice.getMessage().contains("two runs are named 'demo'"), twice.getMessage());
        IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
                () -> ServeConfig.of(ServeCommand.models(List.of("../x=runs/demo"))));
        assertTrue(badName.getMessage().startsWith("model name '../x'"), badName.getMessage());
    }

    @Test
    void aMissingRunStopsTheCommandWithItsName(@TempDir Path tmp) {
        Path missing = tmp.resolve("nowhere");
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new ServeCommand());
        cli.setOut(new PrintWriter(new StringWriter(), true));
        cli.setErr(new PrintWriter(err, true));
        cli.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println(ex.getMessage());
            return 2;
        });
        assertEquals(2, cli.execute("--run", missing.toString(), "--port", "0"));
        assertTrue(err.toString().contains(missing.toString()), err.toString());
        assertEquals(2, cli.execute("--run", missing.toString(), "--port", "0", "--workers", "0"));
        assertTrue(err.toString().contains("workers must be at least 1"), err.toString());
    }
}

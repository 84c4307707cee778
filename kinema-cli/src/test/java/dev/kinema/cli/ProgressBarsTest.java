package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import me.tongfei.progressbar.ProgressBar;
import org.junit.jupiter.api.Test;

/** Off a terminal (as here: tests have no console) progress is plain lines, not a redrawn bar. */
class ProgressBarsTest {
    @Test
    void plainLinesCarryNoControlCodesAndNoRepeats() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressBars.PlainLines lines = new ProgressBars.PlainLines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        lines.accept("\r\u001B[33mflow  40% │████    │ 4/10\u001B[0m");
        lines.accept("\rflow  40% │████    │ 4/10");
        lines.accept("\rflow 100% │████████│ 10/10");
        lines.close();
        assertEquals("flow  40% │████    │ 4/10\nflow 100% │████████│ 10/10\n",
                bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }

    @Test
    void withoutAConsoleABarEndsWithItsFinalStateOnOneLine() {
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try (ProgressBar bar = ProgressBars.builder("synth", 3, " videos").build()) {
            bar.stepTo(3);
        } finally {
            System.setErr(err);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(false, out.contains("\r") || out.contains("\u001B"), out);
        String[] lines = out.strip().split("\n");
        assertEquals(true, lines[lines.length - 1].startsWith("synth 100%"), out);
    }
}

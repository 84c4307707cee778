package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every option is described once in a command's --help. */
class HelpTest {
    private static final Pattern DESCRIBED_OPTION = Pattern.compile("^ {1,8}(?:-\\w, )?(--[\\w-]+)", Pattern.MULTILINE);

    @ParameterizedTest
    @ValueSource(strings = {"train", "import", "eval", "classify", "run-model", "compare", "flow", "models", "synth"})
    void noOptionIsListedTwice(String command) {
        CliRun help = CliRun.of(command, "--help");
        assertEquals(0, help.exitCode(), help.err());
        Matcher m = DESCRIBED_OPTION.matcher(help.out());
        java.util.List<String> options = new java.util.ArrayList<>();
        while (m.find()) {
            options.add(m.group(1));
        }
        Map<String, Long> counts = options.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        counts.values().removeIf(n -> n == 1);
        assertEquals(Map.of(), counts, command + " --help:\n" + help.out());
        assertEquals(true, options.size() > 1, Arrays.toString(options.toArray()));
    }
}

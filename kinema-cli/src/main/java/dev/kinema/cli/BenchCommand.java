package dev.kinema.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "bench", description = "(under construction)")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("kinema bench: not built yet");
        return 1;
    }
}

package dev.kinema.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "sample", description = "(under construction)")
final class SampleCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("kinema sample: not built yet");
        return 1;
    }
}

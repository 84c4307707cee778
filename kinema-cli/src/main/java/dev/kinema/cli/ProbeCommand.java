package dev.kinema.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "probe", description = "(under construction)")
final class ProbeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("kinema probe: not built yet");
        return 1;
    }
}

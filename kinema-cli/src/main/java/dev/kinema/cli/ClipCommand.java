package dev.kinema.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "clip", description = "(under construction)")
final class ClipCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("kinema clip: not built yet");
        return 1;
    }
}

package dev.kinema.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "demo", description = "(under construction)")
final class DemoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("kinema demo: not built yet");
        return 1;
    }
}

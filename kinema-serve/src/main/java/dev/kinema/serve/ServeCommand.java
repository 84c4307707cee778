package dev.kinema.serve;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema serve}: trained runs as an HTTP service with a web page, until stopped (Ctrl-C
 * drains the requests in flight, then exits). The {@code kinema} command registers it; it lives
 * here so that the CLI module needs no HTTP code of its own.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve trained runs over HTTP: a JSON API (GET /v1/models, POST /v1/models/NAME/classify,",
            "/healthz, /readyz) and a web page at /. Listens on 127.0.0.1 unless --host says otherwise.",
            "See docs/serve.md."})
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--run", paramLabel = "[NAME=]RUN", required = true,
            description = "A run directory to serve, named NAME (default: the directory's name). Repeatable.")
    List<String> runs;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--workers", defaultValue = "2", description = "Videos classified at once; each model is loaded once per worker (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--queue", defaultValue = "16", description = "Requests that may wait for a worker; more get 429 (default: ${DEFAULT-VALUE}).")
    int queue;

    @Option(names = "--max-upload-mb", defaultValue = "64", description = "Largest upload; larger gets 413 (default: ${DEFAULT-VALUE}).")
    int maxUploadMb;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60", description = "Time limit of one request; then 503 (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--clips", paramLabel = "K", defaultValue = "10", description = "Clips per video unless a request asks (default: ${DEFAULT-VALUE}).")
    int clips;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Require 'Authorization: Bearer TOKEN' on /v1, TOKEN being this file's first line.")
    Path tokenFile;

    @Override
    public Integer call() throws IOException, InterruptedException {
        ServeConfig config = new ServeConfig(models(runs), host, port, workers, queue, (long) maxUploadMb << 20,
                Duration.ofSeconds(timeoutSeconds), clips, token(tokenFile));
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch stopped = new CountDownLatch(1);
        KinemaServer server = KinemaServer.start(config);
        Thread drain = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "kinema-drain");
        Runtime.getRuntime().addShutdownHook(drain);
        out.println("kinema serve: loading " + String.join(", ", config.models().keySet()) + " at " + server.uri() + "/");
        out.flush();
        try {
            server.awaitReady(Duration.ofMinutes(10));
        } catch (IOException e) {
            Runtime.getRuntime().removeShutdownHook(drain);
            server.close();
            throw e;
        }
        out.println("kinema serve: ready at " + server.uri() + "/ (Ctrl-C to stop)");
        out.flush();
        stopped.await();
        return 0;
    }

    /** {@code NAME=RUN} or {@code RUN} (named after its directory) to names and runs, in order. */
    static Map<String, Path> models(List<String> runs) {
        Map<String, Path> models = new LinkedHashMap<>();
        for (String run : runs) {
            int eq = run.indexOf('=');
            Path dir = Path.of(eq < 0 ? run : run.substring(eq + 1));
            String name = eq < 0 ? String.valueOf(dir.toAbsolutePath().normalize().getFileName()) : run.substring(0, eq);
            if (models.put(name, dir) != null) {
                throw new IllegalArgumentException("two runs are named '" + name + "'; name them with --run NAME=RUN");
            }
        }
        return models;
    }

    private static String token(Path file) throws IOException {
        if (file == null) {
            return null;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || lines.get(0).isBlank()) {
            throw new IllegalArgumentException(file + ": the token file is empty");
        }
        return lines.get(0).strip();
    }
}

package dev.kinema.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.video.VideoFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema serve-load}: a bounded load test of a running {@code kinema serve} on this machine
 * (loopback only): a fixed number of requests at a fixed concurrency, a fraction of them bad bodies
 * that must get 400, and the server's resident memory before and after. A benchmark, not a test:
 * it prints the figures and exits 2 if any answer was a 5xx or a wrong status.
 */
@Command(name = "serve-load", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test a kinema serve on loopback: N requests at concurrency C with a fraction of bad",
            "videos; prints statuses, p50/p95/p99 latency, requests/s and the server's RSS before and after."})
public final class ServeLoadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8080", description = "The service (loopback only; default: ${DEFAULT-VALUE}).")
    URI url;

    @Option(names = "--model", required = true, description = "The served model's name.")
    String model;

    @Option(names = "--videos", paramLabel = "DIR", required = true, description = "Folder of small videos to send.")
    Path videos;

    @Option(names = "--requests", defaultValue = "1000", description = "Requests in all (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--concurrency", defaultValue = "16", description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--bad-fraction", defaultValue = "0.1", description = "Fraction of bad bodies: garbage, truncated video, empty (default: ${DEFAULT-VALUE}).")
    double badFraction;

    @Option(names = "--seed", defaultValue = "0", description = "Which requests are bad (default: ${DEFAULT-VALUE}).")
    long seed;

    private record Outcome(int status, int expected, long nanos) {}

    @Override
    public Integer call() throws Exception {
        String host = url.getHost();
        if (!host.equals("localhost") && !host.startsWith("127.") && !host.equals("[::1]") && !host.equals("::1")) {
            throw new IllegalArgumentException(url + ": the load test only targets this machine's loopback");
        }
        List<byte[]> good = new ArrayList<>();
        try (Stream<Path> files = Files.walk(videos)) {
            for (Path p : files.filter(f -> VideoFiles.isVideoFile(f.getFileName().toString())).sorted().limit(64).toList()) {
                good.add(Files.readAllBytes(p));
            }
        }
        if (good.isEmpty()) {
            throw new IllegalArgumentException(videos + ": no videos");
        }
        byte[][] bad = {
            "this is not a video".repeat(50).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
            Arrays.copyOf(good.get(0), good.get(0).length / 3),
            new byte[0]};
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        URI classify = url.resolve("/v1/models/" + model + "/classify");
        PrintWriter out = spec.commandLine().getOut();
        long rssBefore = rss(http);

        SplittableRandom rng = new SplittableRandom(seed);
        List<Callable<Outcome>> work = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            boolean isBad = rng.nextDouble() < badFraction;
            byte[] body = isBad ? bad[rng.nextInt(bad.length)] : good.get(rng.nextInt(good.size()));
            int expected = isBad ? 400 : 200;
            work.add(() -> {
                long t0 = System.nanoTime();
                int status;
                try {
                    status = http.send(HttpRequest.newBuilder(classify).timeout(Duration.ofMinutes(2))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (IOException e) {
                    status = -1;   // no answer at all
                }
                return new Outcome(status, expected, System.nanoTime() - t0);
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long start = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        try {
            for (Future<Outcome> f : pool.invokeAll(work)) {
                outcomes.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long rssAfter = rss(http);

        Map<Integer, Integer> statuses = new TreeMap<>();
        int wrong = 0;
        int serverErrors = 0;
        for (Outcome o : outcomes) {
            statuses.merge(o.status(), 1, Integer::sum);
            wrong += o.status() != o.expected() ? 1 : 0;
            serverErrors += o.status() >= 500 || o.status() < 0 ? 1 : 0;
        }
        long[] good200 = outcomes.stream().filter(o -> o.expected() == 200).mapToLong(Outcome::nanos).sorted().toArray();
        long[] all = outcomes.stream().mapToLong(Outcome::nanos).sorted().toArray();
        out.printf(Locale.ROOT, "%d requests at concurrency %d in %.1f s: %.1f requests/s%n", requests, concurrency, seconds,
                requests / seconds);
        out.printf(Locale.ROOT, "statuses %s; wrong status %d; 5xx or no answer %d%n", statuses, wrong, serverErrors);
        out.printf(Locale.ROOT, "latency of good videos (ms): p50 %.0f, p95 %.0f, p99 %.0f, max %.0f%n",
                ms(good200, 0.50), ms(good200, 0.95), ms(good200, 0.99), ms(good200, 1.0));
        out.printf(Locale.ROOT, "latency of all requests (ms): p50 %.0f, p95 %.0f, p99 %.0f%n", ms(all, 0.50), ms(all, 0.95),
                ms(all, 0.99));
        out.printf(Locale.ROOT, "server RSS: %.0f MB before, %.0f MB after%n", rssBefore / 1e6, rssAfter / 1e6);
        return wrong == 0 && serverErrors == 0 ? 0 : 2;
    }

    private long rss(HttpClient http) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url.resolve("/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode health = KinemaServer.JSON.readTree(r.body());
        return health.path("rssBytes").asLong(-1);
    }

    /** The nearest-rank percentile of sorted nanoseconds, in milliseconds. */
    private static double ms(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }
}

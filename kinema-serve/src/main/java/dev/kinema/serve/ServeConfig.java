package dev.kinema.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a {@link KinemaServer} runs: which runs it serves under which names, where it listens, and
 * its limits. Every limit has a default a small machine can keep.
 *
 * @param models the served runs by name, in the order {@code GET /v1/models} lists them
 * @param host the address to listen on; 127.0.0.1 unless a deployment says otherwise
 * @param port the port; 0 picks a free one (tests)
 * @param workers videos classified at once; each model is loaded this many times (one Predictor each)
 * @param queue requests that may wait for a worker; one more is refused with 429
 * @param maxUploadBytes the largest body accepted; a larger one is refused with 413
 * @param requestTimeout how long one request may take from admission to answer; then 503
 * @param clips uniform clips per video (the {@code clips} query option may ask for fewer or more)
 * @param token the bearer token every {@code /v1} request must carry, or null for none
 */
public record ServeConfig(Map<String, Path> models, String host, int port, int workers, int queue,
        long maxUploadBytes, Duration requestTimeout, int clips, String token) {
    /** Model names are URL path segments: letters, digits, '.', '_' and '-'. */
    static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The largest {@code clips} a request may ask for: more is a denial of service, not a use. */
    static final int MAX_CLIPS = 32;

    public ServeConfig {
        models = new LinkedHashMap<>(models);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("serve at least one run (--run RUN)");
        }
        for (String name : models.keySet()) {
            if (!MODEL_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("model name '" + name + "': use letters, digits, '.', '_' and '-'");
            }
        }
        require(port >= 0 && port <= 65535, "port must be 0..65535, got " + port);
        require(workers >= 1, "workers must be at least 1, got " + workers);
        require(queue >= 0, "queue must be at least 0, got " + queue);
        require(maxUploadBytes >= 1, "the upload limit must be positive, got " + maxUploadBytes);
        require(!requestTimeout.isNegative() && !requestTimeout.isZero(), "the request timeout must be positive");
        require(clips >= 1 && clips <= MAX_CLIPS, "clips must be 1.." + MAX_CLIPS + ", got " + clips);
        require(token == null || !token.isBlank(), "the token is empty");
    }

    /** A configuration with the defaults of {@code kinema serve}: 127.0.0.1:8080, 2 workers, queue 16, 64 MB, 60 s, 10 clips. */
    public static ServeConfig of(Map<String, Path> models) {
        return new ServeConfig(models, "127.0.0.1", 8080, 2, 16, 64L << 20, Duration.ofSeconds(60), 10, null);
    }

    public ServeConfig withPort(int newPort) {
        return new ServeConfig(models, host, newPort, workers, queue, maxUploadBytes, requestTimeout, clips, token);
    }

    public ServeConfig withLimits(int newWorkers, int newQueue, long newMaxUploadBytes, Duration newTimeout) {
        return new ServeConfig(models, host, port, newWorkers, newQueue, newMaxUploadBytes, newTimeout, clips, token);
    }

    public ServeConfig withClips(int newClips) {
        return new ServeConfig(models, host, port, workers, queue, maxUploadBytes, requestTimeout, newClips, token);
    }

    public ServeConfig withToken(String newToken) {
        return new ServeConfig(models, host, port, workers, queue, maxUploadBytes, requestTimeout, clips, newToken);
    }

    public ServeConfig withHost(String newHost) {
        return new ServeConfig(models, newHost, port, workers, queue, maxUploadBytes, requestTimeout, clips, token);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

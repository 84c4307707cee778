package dev.kinema.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.flow.ComputedFlow;
import dev.kinema.flow.FlowColors;
import dev.kinema.flow.FlowFields;
import dev.kinema.flow.FlowMethod;
import dev.kinema.video.FrameSize;
import dev.kinema.video.ReaderOptions;
import dev.kinema.video.VideoDecodeException;
import dev.kinema.video.VideoFrames;
import dev.kinema.video.VideoReader;
import dev.kinema.viz.ContactSheet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kinema's HTTP service: trained runs behind a JSON API and a web page ({@code docs/serve.md}).
 *
 * <p>Built on the JDK's own {@code com.sun.net.httpserver}: no dependency, and every limit is ours
 * to set and test. Requests are admitted up to {@code workers + queue} at a time (then 429), their
 * bodies streamed to a private temporary folder (413 past the limit) and classified by a fixed pool
 * of {@code workers} threads, each with its own Predictor, within the request's time limit (then
 * 503). An upload's file is deleted whatever happens; no part of a request names a file.
 *
 * <pre>{@code
 * try (KinemaServer server = KinemaServer.start(ServeConfig.of(Map.of("demo", Path.of("runs/demo"))))) {
 *     server.awaitReady(Duration.ofMinutes(1));
 *     // curl --data-binary @video.mp4 http://127.0.0.1:8080/v1/models/demo/classify
 * }
 * }</pre>
 */
public final class KinemaServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KinemaServer.class);
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    /** The most request header bytes (names and values) accepted; more is 431. */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final Pattern CLASSIFY = Pattern.compile("/v1/models/([^/]+)/classify");
    private static final Map<String, String> PAGES = Map.of(
            "/", "index.html", "/index.html", "index.html", "/app.js", "app.js", "/app.css", "app.css");
    private static final int SHEET_FRAMES = 8;
    private static final int FLOW_PAIRS = 4;

    private final ServeConfig config;
    private final HttpServer http;
    private final ExecutorService handlers;
    private final ExecutorService workers;
    private final Semaphore admission;
    private final Path uploads;
    private final AtomicLong uploadCount = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, ServedModel> models = new LinkedHashMap<>();
    private final Thread loader;
    private volatile boolean ready;
    private volatile boolean draining;
    private volatile Exception loadFailure;

    private KinemaServer(ServeConfig config) throws IOException {
        this.config = config;
        limitJdkServer(config);
        this.uploads = Files.createTempDirectory("kinema-serve-");
        this.admission = new Semaphore(config.workers() + config.queue());
        this.workers = Executors.newFixedThreadPool(config.workers(), daemon("kinema-worker"));
        // Enough handler threads that every admitted request has one and a few answer 429 or health checks.
        this.handlers = Executors.newFixedThreadPool(config.workers() + config.queue() + 4, daemon("kinema-http"));
        this.http = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 64);
        http.createContext("/", this::handle);
        http.setExecutor(handlers);
        this.loader = daemon("kinema-loader").newThread(this::loadModels);
    }

    /** Starts listening at once (answering 503 while loading) and loads the models in the background. */
    public static KinemaServer start(ServeConfig config) throws IOException {
        KinemaServer server = new KinemaServer(config);
        server.http.start();
        server.loader.start();
        LOG.info("listening on http://{}:{}/", config.host(), server.port());
        return server;
    }

    /** The port listened on (the chosen one when the configuration said 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    /** The service's base address, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return URI.create("http://" + host + ":" + port());
    }

    public boolean isReady() {
        return ready && !draining;
    }

    /**
     * Waits until every model is loaded.
     *
     * @throws IOException naming the run that failed to load, or when loading takes longer than {@code timeout}
     */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        loader.join(timeout.toMillis());
        if (loadFailure != null) {
            throw loadFailure instanceof IOException io ? io : new IOException(loadFailure.getMessage(), loadFailure);
        }
        if (!ready) {
            throw new IOException("the models did not load within " + timeout.toSeconds() + " s");
        }
    }

    private void loadModels() {
        try {
            for (Map.Entry<String, Path> e : config.models().entrySet()) {
                ServedModel model = ServedModel.load(e.getKey(), e.getValue(), config.workers(), config.clips());
                synchronized (models) {
                    models.put(e.getKey(), model);
                }
                LOG.info("loaded {} from {}", e.getKey(), e.getValue());
            }
            ready = true;
        } catch (IOException | RuntimeException e) {
            loadFailure = e;
            LOG.error("loading the models failed: {}", e.getMessage());
        }
    }

    /**
     * Drains: answers new requests 503, lets those in flight finish (up to the request time limit),
     * stops listening, then frees the models and deletes the upload folder.
     */
    @Override
    public void close() {
        draining = true;
        // Our own count, not HttpServer.stop's delay: JDK 17's stop waits out the whole delay even when idle.
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        http.stop(0);
        workers.shutdown();
        handlers.shutdown();
        try {
            workers.awaitTermination(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            loader.join(config.requestTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (models) {
            models.values().forEach(ServedModel::close);
            models.clear();
        }
        deleteTree(uploads);
    }

    /** How many more requests would be admitted now (workers plus queue, less those admitted). */
    int freePlaces() {
        return admission.availablePermits();
    }

    /** How many uploads are on disk right now: 0 whenever no request is in flight. */
    long uploadsOnDisk() throws IOException {
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }

    // ---- requests ---------------------------------------------------------------------------

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getRawPath();
        inFlight.incrementAndGet();
        try (exchange) {
            try {
                checkHeaders(exchange.getRequestHeaders());
                route(exchange, method, path);
            } catch (HttpError e) {
                sendError(exchange, e.status(), e.getMessage());
            } catch (RuntimeException e) {
                // A bug in one request is that request's 500, never the server's end.
                LOG.error("{} {} failed", method, path, e);
                sendError(exchange, 500, "internal error: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        } catch (IOException e) {
            LOG.debug("{} {}: the client went away ({})", method, path, e.getMessage());
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void route(HttpExchange exchange, String method, String path) throws IOException {
        if (PAGES.containsKey(path)) {
            requireMethod(method, "GET");
            sendPage(exchange, PAGES.get(path));
        } else if (path.equals("/healthz")) {
            requireMethod(method, "GET");
            sendJson(exchange, 200, JSON.createObjectNode().put("status", "ok").put("rssBytes", residentBytes()));
        } else if (path.equals("/readyz")) {
            requireMethod(method, "GET");
            String state = draining ? "draining" : loadFailure != null ? "failed" : ready ? "ready" : "loading";
            sendJson(exchange, isReady() ? 200 : 503, JSON.createObjectNode().put("status", state));
        } else if (draining) {
            throw new HttpError(503, "the service is stopping");
        } else if (path.equals("/v1/models")) {
            requireMethod(method, "GET");
            authorize(exchange);
            requireReady();
            sendJson(exchange, 200, listModels());
        } else {
            Matcher m = CLASSIFY.matcher(path);
            if (!m.matches()) {
                throw new HttpError(404, "no such endpoint: " + method + " " + clean(path));
            }
            requireMethod(method, "POST");
            authorize(exchange);
            classify(exchange, URLDecoder.decode(m.group(1), StandardCharsets.UTF_8));
        }
    }

    private ArrayNode listModels() {
        ArrayNode list = JSON.createArrayNode();
        synchronized (models) {
            for (ServedModel model : models.values()) {
                ObjectNode entry = list.addObject().put("name", model.name());
                entry.set("classes", JSON.valueToTree(model.classes()));
                entry.set("card", JSON.valueToTree(model.card()));
            }
        }
        return list;
    }

    private void classify(HttpExchange exchange, String name) throws IOException {
        requireReady();
        ServedModel model;
        synchronized (models) {
            model = models.get(name);
        }
        if (model == null) {
            throw new HttpError(404, "unknown model '" + clean(name) + "'; GET /v1/models lists them");
        }
        Map<String, String> query = query(exchange.getRequestURI());
        int clips = intOption(query, "clips", config.clips(), 1, ServeConfig.MAX_CLIPS);
        intOption(query, "crops", 1, 1, 1);   // the Predictor classifies centre crops; asking for more is refused
        boolean sheet = flag(query, "sheet");
        boolean flow = flag(query, "flow");
        long declared = contentLength(exchange.getRequestHeaders());
        if (declared > config.maxUploadBytes()) {
            exchange.getResponseHeaders().set("Connection", "close");
            discardUpTo(exchange.getRequestBody(), DISCARD_BYTES);
            throw new HttpError(413, tooLarge());
        }
        if (!admission.tryAcquire()) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            throw new HttpError(429, "the queue is full (" + config.workers() + " workers, " + config.queue()
                    + " waiting); retry later");
        }
        long deadline = System.nanoTime() + config.requestTimeout().toNanos();
        Upload upload = null;
        try {
            upload = receive(exchange);
            Upload video = upload;
            Future<ObjectNode> answer = workers.submit(() -> {
                try {
                    return answer(model, video, clips, sheet, flow);
                } finally {
                    video.delete();
                }
            });
            upload = null;   // the worker's task owns the file now, unless it never runs
            ObjectNode result;
            try {
                result = answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                if (answer.cancel(false)) {
                    video.delete();
                }
                throw new HttpError(503, "the request took longer than its limit of "
                        + config.requestTimeout().toSeconds() + " s");
            } catch (CancellationException e) {
                video.delete();
                throw new HttpError(503, "the service is stopping");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HttpError(503, "the service is stopping");
            } catch (ExecutionException e) {
                throw classifyError(e.getCause(), video);
            }
            sendJson(exchange, 200, result);
        } finally {
            if (upload != null) {
                upload.delete();
            }
            admission.release();
        }
    }

    /** What the worker does: classify, and draw the contact sheet when asked. */
    private ObjectNode answer(ServedModel model, Upload video, int clips, boolean sheet, boolean flow) throws Exception {
        VideoClassifier.Classification c = model.classify(video.file(), clips);
        ObjectNode result = JSON.createObjectNode().put("model", model.name()).put("video", video.name());
        result.set("top5", JSON.valueToTree(c.top5()));
        result.set("clips", JSON.valueToTree(c.clips()));
        if (sheet) {
            result.put("contactSheet", contactSheet(video.file()));
        }
        if (flow) {
            result.put("flowSheet", flowSheet(video.file()));
        }
        return result;
    }

    private static boolean flag(Map<String, String> query, String name) {
        String value = query.get(name);
        return value != null && !value.equals("false") && !value.equals("0");
    }

    private static RuntimeException classifyError(Throwable cause, Upload video) {
        if (cause instanceof VideoDecodeException || cause instanceof IllegalArgumentException) {
            // The decoder's own reason, naming the upload as the client knows it rather than our temporary file.
            return new HttpError(400, cause.getMessage().replace(video.file().toString(), video.name()));
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(cause.getMessage(), cause);
    }

    /** The sampled frames as a PNG data URL: {@value #SHEET_FRAMES} frames spread over the video. */
    private static String contactSheet(Path video) throws IOException {
        try (VideoReader reader = VideoReader.open(video,
                ReaderOptions.builder().optSize(FrameSize.shortSide(96)).build())) {
            int n = reader.frameCount();
            int k = Math.min(SHEET_FRAMES, n);
            int[] indices = new int[k];
            for (int i = 0; i < k; i++) {
                indices[i] = (int) ((i + 0.5) * n / k);
            }
            return pngDataUrl(ContactSheet.defaults().render(reader.read(indices)));
        }
    }

    /**
     * The optical-flow view as a PNG data URL: {@value #FLOW_PAIRS} fields between consecutive frames
     * from the middle of the video, each frame beside its flow in the colour-wheel code (hue the
     * direction, saturation the speed; the wheel in the corner is the key). Farneback, for speed:
     * the picture shows the motion, not necessarily the flow method the model was trained on.
     */
    private static String flowSheet(Path video) throws IOException {
        VideoFrames frames;
        try (VideoReader reader = VideoReader.open(video,
                ReaderOptions.builder().optSize(FrameSize.shortSide(96)).build())) {
            int n = Math.min(FLOW_PAIRS + 1, reader.frameCount());
            if (n < 2) {
                throw new IllegalArgumentException(video + ": one frame has no optical flow");
            }
            int first = (reader.frameCount() - n) / 2;
            int[] indices = new int[n];
            for (int i = 0; i < n; i++) {
                indices[i] = first + i;
            }
            frames = reader.read(indices);
        }
        FlowFields flow = ComputedFlow.between(frames, FlowMethod.FARNEBACK, 1);
        VideoFrames panels = FlowColors.sideBySide(frames, flow, FlowColors.robustMax(flow));
        return pngDataUrl(ContactSheet.builder().optColumns(1).build().render(panels));
    }

    private static String pngDataUrl(java.awt.image.BufferedImage image) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(image, "png", png);
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png.toByteArray());
    }

    /** An upload on disk: the file and the name to call it by in answers. */
    private record Upload(Path file, String name) {
        void delete() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("could not delete upload {}: {}", file, e.getMessage());
            }
        }
    }

    /** Streams the body (raw, or a multipart form's file part) into a new file of the upload folder. */
    private Upload receive(HttpExchange exchange) throws IOException {
        long id = uploadCount.incrementAndGet();
        Path body = uploads.resolve("body-" + id);
        Path video = uploads.resolve("video-" + id);
        try {
            long size = copyLimited(exchange.getRequestBody(), body);
            if (size == 0) {
                throw new HttpError(400, "the request has no body; send a video as the body or as a multipart file");
            }
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (!Multipart.isMultipart(contentType)) {
                Files.move(body, video);
                return new Upload(video, "upload");
            }
            Multipart.FilePart part = Multipart.findFile(body, contentType);
            try (FileChannel in = FileChannel.open(body, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(video, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                long at = part.start();
                while (at < part.end()) {
                    at += in.transferTo(at, part.end() - at, out);
                }
            }
            if (part.end() == part.start()) {
                throw new HttpError(400, "the uploaded file '" + displayName(part.filename()) + "' is empty");
            }
            return new Upload(video, displayName(part.filename()));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(video);
            throw e;
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /**
     * How much of a refused body is read and thrown away before the 413 goes out: closing a socket
     * with unread bytes makes TCP reset it, and the client then loses the response it was sent.
     * Larger bodies are cut off (the client may see a reset), so a refusal never reads gigabytes.
     */
    static final long DISCARD_BYTES = 8L << 20;

    private static void discardUpTo(InputStream in, long limit) {
        byte[] buffer = new byte[64 * 1024];
        long read = 0;
        try {
            for (int n = in.read(buffer); n >= 0 && read < limit; n = in.read(buffer)) {
                read += n;
            }
        } catch (IOException e) {
            // The client went away or stalled past its time limit: nothing left to protect.
        }
    }

    private long copyLimited(InputStream in, Path file) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > config.maxUploadBytes()) {
                    discardUpTo(in, DISCARD_BYTES);
                    throw new HttpError(413, tooLarge());
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private String tooLarge() {
        return "the upload is larger than the limit of " + mb(config.maxUploadBytes());
    }

    private static String mb(long bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + " MB" : bytes + " bytes";
    }

    // ---- small checks ----------------------------------------------------------------------

    private void authorize(HttpExchange exchange) {
        if (config.token() == null) {
            return;
        }
        String given = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + config.token()).getBytes(StandardCharsets.UTF_8);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "a bearer token is required (Authorization: Bearer TOKEN)");
        }
    }

    private void requireReady() {
        if (draining) {
            throw new HttpError(503, "the service is stopping");
        }
        if (loadFailure != null) {
            throw new HttpError(503, "the models failed to load: " + loadFailure.getMessage());
        }
        if (!ready) {
            throw new HttpError(503, "the models are loading; GET /readyz says when they are ready");
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new HttpError(405, method + " is not allowed here; use " + allowed);
        }
    }

    private static void checkHeaders(Headers headers) {
        long bytes = 0;
        for (Map.Entry<String, List<String>> h : headers.entrySet()) {
            for (String value : h.getValue()) {
                bytes += h.getKey().length() + value.length() + 4;
            }
        }
        if (bytes > MAX_HEADER_BYTES) {
            throw new HttpError(431, "the request headers are larger than " + MAX_HEADER_BYTES + " bytes");
        }
    }

    private static long contentLength(Headers headers) {
        String value = headers.getFirst("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new HttpError(400, "Content-Length is not a number");
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> query = new HashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static int intOption(Map<String, String> query, String name, int fallback, int min, int max) {
        String value = query.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new HttpError(400, name + "=" + clean(value) + ": " + (min == max ? "only " + min + " is supported"
                : "must be a whole number from " + min + " to " + max));
    }

    /** A client's name for its file, kept to harmless characters: it only ever appears in answers. */
    private static String displayName(String filename) {
        String base = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1);
        String kept = base.replaceAll("[^A-Za-z0-9._ -]", "_");
        return kept.isBlank() ? "upload" : kept.substring(0, Math.min(kept.length(), 100));
    }

    /** Request text echoed in an error, kept short and printable. */
    private static String clean(String text) {
        String kept = text.replaceAll("[^\\x20-\\x7e]", "?");
        return kept.length() > 80 ? kept.substring(0, 80) + "..." : kept;
    }

    // ---- responses -------------------------------------------------------------------------

    private static void sendError(HttpExchange exchange, int status, String reason) {
        try {
            sendJson(exchange, status, JSON.createObjectNode().put("error", reason).put("status", status));
        } catch (IOException e) {
            LOG.debug("could not send {} ({})", status, e.getMessage());
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
    }

    private static void sendPage(HttpExchange exchange, String resource) throws IOException {
        try (InputStream in = KinemaServer.class.getResourceAsStream("web/" + resource)) {
            if (in == null) {
                throw new IllegalStateException("web/" + resource + " is missing from the jar");
            }
            String type = resource.endsWith(".js") ? "text/javascript" : resource.endsWith(".css") ? "text/css" : "text/html";
            exchange.getResponseHeaders().set("Content-Security-Policy",
                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'");
            send(exchange, 200, type + "; charset=utf-8", in.readAllBytes());
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        Headers headers = exchange.getResponseHeaders();
        headers.set("Content-Type", contentType);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** This process's resident memory from /proc (Linux), -1 elsewhere: what a load test watches. */
    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: unknown
        }
        return -1;
    }

    // ---- plumbing --------------------------------------------------------------------------

    /**
     * The JDK server's own limits, read once when its first server is made: request header count
     * and size, and the time to read a request or write an answer.
     */
    private static void limitJdkServer(ServeConfig config) {
        String seconds = String.valueOf(Math.max(1, config.requestTimeout().toSeconds()));
        setDefault("sun.net.httpserver.maxReqHeaders", "100");
        // Above our own 431 limit, so that a client over it is told why; the JDK only hangs up.
        setDefault("sun.net.httpserver.maxReqHeaderSize", String.valueOf(4 * MAX_HEADER_BYTES));
        setDefault("sun.net.httpserver.maxReqTime", seconds);
        setDefault("sun.net.httpserver.maxRspTime", seconds);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete the upload folder {}: {}", dir, e.getMessage());
        }
    }
}

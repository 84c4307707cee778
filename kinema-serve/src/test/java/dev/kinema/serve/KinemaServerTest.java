package dev.kinema.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinema.eval.VideoClassifier;
import dev.kinema.testing.TrainedRuns;
import dev.kinema.train.TrainedClassifier;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service over real HTTP on loopback: answers, limits and errors, with videos Kinema renders. */
class KinemaServerTest {
    private static final long LIMIT = 256 * 1024;

    @TempDir
    static Path tmp;

    static Path run;
    static Path left;
    static Path right;
    static KinemaServer server;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void serveATrainedRun() throws Exception {
        Path data = tmp.resolve("data");
        run = TrainedRuns.tinySquares(data, tmp.resolve("run"));
        left = data.resolve("train/left/train_00.mp4");
        right = data.resolve("train/right/train_00.mp4");
        ServeConfig config = ServeConfig.of(Map.of("squares", run)).withPort(0).withClips(3)
                .withLimits(1, 1, LIMIT, Duration.ofSeconds(30));
        server = KinemaServer.start(config);
        server.awaitReady(Duration.ofMinutes(1));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder at(String path) {
        return HttpRequest.newBuilder(server.uri().resolve(path));
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return KinemaServer.JSON.readTree(response.body());
    }

    static HttpRequest.Builder multipart(String path, String filename, byte[] content) {
        String boundary = "kinema-test-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"video\"; filename=\"" + filename
                + "\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return at(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
    }

    @Test
    void healthReadinessAndTheModelList() throws Exception {
        assertEquals(200, send(at("/healthz")).statusCode());
        HttpResponse<String> ready = send(at("/readyz"));
        assertEquals(200, ready.statusCode());
        assertEquals("ready", json(ready).get("status").asText());
        HttpResponse<String> models = send(at("/v1/models"));
        assertEquals(200, models.statusCode(), models.body());
        JsonNode list = json(models);
        assertEquals(1, list.size());
        assertEquals("squares", list.get(0).get("name").asText());
        assertEquals("[\"left\",\"right\"]", list.get(0).get("classes").toString());
        assertEquals("tiny-3d", list.get(0).get("card").get("name").asText(), list.toString());
        assertEquals(4, list.get(0).get("card").get("input").get("frames").asInt(), list.toString());
    }

    @Test
    void aRawBodyIsClassifiedAsKinemaClassifyDoes() throws Exception {
        HttpResponse<String> response = send(at("/v1/models/squares/classify")
                .POST(HttpRequest.BodyPublishers.ofFile(right)));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals("upload", answer.get("video").asText());
        VideoClassifier.Classification expected;
        try (TrainedClassifier classifier = TrainedClassifier.open(run, 3)) {
            expected = classifier.classify(right);
        }
        assertEquals(expected.top5().size(), answer.get("top5").size());
        for (int i = 0; i < expected.top5().size(); i++) {
            assertEquals(expected.top5().get(i).label(), answer.get("top5").get(i).get("label").asText());
            assertEquals(expected.top5().get(i).probability(), answer.get("top5").get(i).get("probability").asDouble(), 1e-6);
        }
        assertEquals(3, answer.get("clips").size());
        for (int i = 0; i < 3; i++) {
            JsonNode clip = answer.get("clips").get(i);
            assertEquals(expected.clips().get(i).start(), clip.get("start").asDouble(), 1e-9);
            assertEquals(expected.clips().get(i).end(), clip.get("end").asDouble(), 1e-9);
            assertEquals(expected.clips().get(i).label(), clip.get("label").asText());
        }
        assertEquals(0, server.uploadsOnDisk(), "the upload is deleted");
    }

    @Test
    void aMultipartUploadWithClipsAndAContactSheet() throws Exception {
        HttpResponse<String> response = send(multipart("/v1/models/squares/classify?clips=2&sheet=1", "left.mp4",
                Files.readAllBytes(left)));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode answer = json(response);
        assertEquals("left.mp4", answer.get("video").asText());
        assertEquals(2, answer.get("clips").size());
        assertTrue(answer.get("contactSheet").asText().startsWith("data:image/png;base64,"), answer.toString());
        assertTrue(!answer.has("flowSheet"), "the flow view only when asked");
        assertEquals(0, server.uploadsOnDisk());
    }

    @Test
    void theFlowViewShowsFramesBesideTheirFlow() throws Exception {
        HttpResponse<String> response = send(at("/v1/models/squares/classify?clips=1&flow=1")
                .POST(HttpRequest.BodyPublishers.ofFile(left)));
        assertEquals(200, response.statusCode(), response.body());
        String url = json(response).get("flowSheet").asText();
        assertTrue(url.startsWith("data:image/png;base64,"), url);
        java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        // 4 panels in one column, each a 96-pixel frame beside its flow picture.
        assertTrue(picture.getWidth() >= 2 * 96 && picture.getHeight() >= 4 * 96,
                picture.getWidth() + "x" + picture.getHeight());
        // The square moves, so some flow pixels are coloured (saturated), not all grey.
        int coloured = 0;
        for (int y = 0; y < picture.getHeight(); y++) {
            for (int x = picture.getWidth() / 2; x < picture.getWidth(); x++) {
                int rgb = picture.getRGB(x, y);
                int r = (rgb >> 16) & 255;
                int g = (rgb >> 8) & 255;
                int b = rgb & 255;
                coloured += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60 ? 1 : 0;
            }
        }
        assertTrue(coloured > 50, "coloured flow pixels: " + coloured);
    }

    @Test
    void badVideosAre400WithTheDecodersReasonAndNoFileIsLeft() throws Exception {
        HttpResponse<String> raw = send(at("/v1/models/squares/classify")
                .POST(HttpRequest.BodyPublishers.ofString("not a video")));
        assertEquals(400, raw.statusCode(), raw.body());
        String reason = json(raw).get("error").asText();
        assertTrue(reason.startsWith("upload: "), reason);
        assertTrue(!reason.contains(tmp.toString()) && !reason.contains("kinema-serve-"), "no server path: " + reason);

        byte[] truncated = java.util.Arrays.copyOf(Files.readAllBytes(left), 600);
        HttpResponse<String> cut = send(multipart("/v1/models/squares/classify", "../../etc/passwd", truncated));
        assertEquals(400, cut.statusCode(), cut.body());
        assertTrue(json(cut).get("error").asText().startsWith("passwd: "), cut.body());

        HttpResponse<String> empty = send(at("/v1/models/squares/classify").POST(HttpRequest.BodyPublishers.noBody()));
        assertEquals(400, empty.statusCode(), empty.body());
        HttpResponse<String> noFile = send(at("/v1/models/squares/classify")
                .header("Content-Type", "multipart/form-data; boundary=xyz")
                .POST(HttpRequest.BodyPublishers.ofString("--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--xyz--\r\n")));
        assertEquals(400, noFile.statusCode(), noFile.body());
        assertTrue(json(noFile).get("error").asText().contains("no file part"), noFile.body());
        assertEquals(0, server.uploadsOnDisk());

        // And the service is as good as before.
        assertEquals(200, send(at("/v1/models/squares/classify").POST(HttpRequest.BodyPublishers.ofFile(left))).statusCode());
    }

    @Test
    void unknownModelsPathsMethodsAndOptions() throws Exception {
        HttpResponse<String> unknown = send(at("/v1/models/nope/classify").POST(HttpRequest.BodyPublishers.ofFile(left)));
        assertEquals(404, unknown.statusCode());
        assertTrue(json(unknown).get("error").asText().contains("unknown model 'nope'"), unknown.body());
        assertEquals(404, send(at("/v1/models/..%2F..%2Fetc/classify").POST(HttpRequest.BodyPublishers.ofFile(left))).statusCode());
        assertEquals(404, send(at("/etc/passwd")).statusCode());
        assertEquals(404, send(at("/app.js/../../pom.xml")).statusCode());
        assertEquals(405, send(at("/v1/models/squares/classify")).statusCode());
        for (String option : List.of("clips=0", "clips=33", "clips=x", "crops=3")) {
            HttpResponse<String> r = send(at("/v1/models/squares/classify?" + option)
                    .POST(HttpRequest.BodyPublishers.ofFile(left)));
            assertEquals(400, r.statusCode(), option + ": " + r.body());
            assertTrue(json(r).get("error").asText().startsWith(option.substring(0, option.indexOf('='))), r.body());
        }
    }

    @Test
    void uploadsOverTheLimitAre413DeclaredOrNot() throws Exception {
        byte[] big = new byte[(int) LIMIT + 1];
        HttpResponse<String> declared = send(at("/v1/models/squares/classify").POST(HttpRequest.BodyPublishers.ofByteArray(big)));
        assertEquals(413, declared.statusCode(), declared.body());
        // A stream of unknown length goes chunked: the limit is counted while it arrives.
        HttpResponse<String> chunked = send(at("/v1/models/squares/classify")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertEquals(413, chunked.statusCode(), chunked.body());
        assertTrue(json(chunked).get("error").asText().contains("limit of 262144 bytes"), chunked.body());
        assertEquals(0, server.uploadsOnDisk());
    }

    @Test
    void aFullQueueIs429AndHugeHeadersAreRefused() throws Exception {
        // One worker and a queue of one: two admitted requests whose bodies never finish hold both places.
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = new Socket("127.0.0.1", server.port());
                OutputStream out = s.getOutputStream();
                out.write(("POST /v1/models/squares/classify HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(s);
            }
            for (int wait = 0; wait < 500 && server.freePlaces() > 0; wait++) {   // until both are admitted
                Thread.sleep(10);
            }
            assertEquals(0, server.freePlaces(), "the two slow requests hold both places");
            HttpResponse<String> full = send(at("/v1/models/squares/classify").POST(HttpRequest.BodyPublishers.ofFile(left)));
            assertEquals(429, full.statusCode(), full.body());
            assertTrue(json(full).get("error").asText().contains("queue is full"), full.body());
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        HttpResponse<String> after = null;
        for (int attempt = 0; attempt < 100; attempt++) {   // the abandoned requests give their places back
            after = send(at("/v1/models/squares/classify").POST(HttpRequest.BodyPublishers.ofFile(left)));
            if (after.statusCode() == 200) {
                break;
            }
            Thread.sleep(20);
        }
        assertEquals(200, after.statusCode(), after.body());

        HttpResponse<String> huge = send(at("/healthz").header("X-Padding", "a".repeat(20_000)));
        assertEquals(431, huge.statusCode(), huge.body());
        assertEquals(0, server.uploadsOnDisk());
    }

    @Test
    void aBearerTokenGuardsTheApiButNotHealth(@TempDir Path elsewhere) throws Exception {
        ServeConfig config = ServeConfig.of(Map.of("squares", run)).withPort(0).withClips(2).withToken("s3cret");
        try (KinemaServer guarded = KinemaServer.start(config)) {
            guarded.awaitReady(Duration.ofMinutes(1));
            URI base = guarded.uri();
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/healthz"))).statusCode());
            HttpResponse<String> denied = send(HttpRequest.newBuilder(base.resolve("/v1/models")));
            assertEquals(401, denied.statusCode());
            assertEquals(401, send(HttpRequest.newBuilder(base.resolve("/v1/models")).header("Authorization", "Bearer wrong")).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/v1/models")).header("Authorization", "Bearer s3cret")).statusCode());
        }
    }

    @Test
    void aRunThatCannotLoadIs503AndNamed(@TempDir Path elsewhere) throws Exception {
        Path missing = elsewhere.resolve("no-such-run");
        try (KinemaServer broken = KinemaServer.start(ServeConfig.of(Map.of("gone", missing)).withPort(0))) {
            IOException e = assertThrows(IOException.class, () -> broken.awaitReady(Duration.ofSeconds(30)));
            assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
            URI base = broken.uri();
            assertEquals(503, send(HttpRequest.newBuilder(base.resolve("/readyz"))).statusCode());
            HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/v1/models/gone/classify"))
                    .POST(HttpRequest.BodyPublishers.ofFile(left)));
            assertEquals(503, r.statusCode(), r.body());
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/healthz"))).statusCode());
        }
    }

    @Test
    void closingDrainsARequestInFlight() throws Exception {
        ServeConfig config = ServeConfig.of(Map.of("squares", run)).withPort(0).withClips(2);
        KinemaServer draining = KinemaServer.start(config);
        draining.awaitReady(Duration.ofMinutes(1));
        byte[] video = Files.readAllBytes(left);
        try (Socket s = new Socket("127.0.0.1", draining.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /v1/models/squares/classify HTTP/1.1\r\nHost: x\r\nContent-Length: " + video.length
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(video, 0, 100);
            out.flush();
            while (draining.uploadsOnDisk() == 0) {   // admitted and receiving
                Thread.sleep(10);
            }
            CompletableFuture<Void> closing = CompletableFuture.runAsync(draining::close);
            Thread.sleep(200);
            assertTrue(!closing.isDone(), "close waits for the request in flight");
            out.write(video, 100, video.length - 100);
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            closing.get(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        assertThrows(IOException.class, () -> new Socket("127.0.0.1", draining.port()).close(), "no longer listening");
    }
}

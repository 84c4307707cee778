package dev.kinema.data.annotations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ActivityNet's JSON formats. Ground truth: {@code database.<id> = {duration, subset, annotations:
 * [{segment: [start, end], label}]}} (a file without the {@code database} wrapper, as MMAction2's
 * {@code anet_anno_*.json}, is read too, with {@code duration_second}). Predictions and proposals:
 * {@code results.<id> = [{label, score, segment}]} ({@code label} may be absent for proposals).
 *
 * <p>Video ids are compared without the {@code v_} prefix that some copies carry (the YouTube id
 * is what identifies a video), so ground truth and predictions match whichever convention each used.
 */
public final class ActivityNetJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ActivityNetJson() {}

    /** One video of a ground-truth file. */
    public record Video(String id, double duration, String subset, List<Segment> annotations) {}

    /** The video id without ActivityNet's optional {@code v_} prefix. */
    public static String videoId(String id) {
        return id.startsWith("v_") ? id.substring(2) : id;
    }

    /** Reads a ground-truth file, in file order; {@code subset} ({@code null}: all) keeps only that subset. */
    public static Map<String, Video> readGroundTruth(Path file, String subset) {
        JsonNode root = readTree(file);
        JsonNode database = root.has("database") ? root.get("database") : root;
        if (!database.isObject()) {
            throw new AnnotationException(file, "expected an object of videos (ActivityNet's \"database\")");
        }
        Map<String, Video> videos = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = database.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = "database." + entry.getKey();
            JsonNode info = entry.getValue();
            if (!info.isObject()) {
                throw new AnnotationException(file, where + ": expected an object");
            }
            String videoSubset = info.path("subset").asText("");
            if (subset != null && !subset.equals(videoSubset)) {
                continue;
            }
            double duration = info.has("duration") ? info.get("duration").asDouble()
                    : info.path("duration_second").asDouble(Double.NaN);
            String id = videoId(entry.getKey());
            JsonNode annotations = info.path("annotations");
            if (!annotations.isMissingNode() && !annotations.isArray()) {
                throw new AnnotationException(file, where + ".annotations: expected a list");
            }
            List<Segment> segments = new ArrayList<>();
            for (int i = 0; i < annotations.size(); i++) {
                JsonNode a = annotations.get(i);
                String at = where + ".annotations[" + i + "]";
                double[] se = segment(file, at, a.get("segment"));
                if (!a.hasNonNull("label")) {
                    throw new AnnotationException(file, at + ": no label");
                }
                segments.add(Segment.truth(id, se[0], se[1], a.get("label").asText()));
            }
            if (videos.put(id, new Video(id, duration, videoSubset, List.copyOf(segments))) != null) {
                throw new AnnotationException(file, where + ": video " + id + " appears twice (with and without v_?)");
            }
        }
        return videos;
    }

    /** Reads a prediction or proposal file: {@code results.<id>[]}; every segment in file order. */
    public static List<Segment> readResults(Path file) {
        JsonNode results = readTree(file).get("results");
        if (results == null || !results.isObject()) {
            throw new AnnotationException(file, "no \"results\" object (ActivityNet's results.<video id>[] = {label, score, segment})");
        }
        List<Segment> segments = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = results.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String where = "results." + entry.getKey();
            if (!entry.getValue().isArray()) {
                throw new AnnotationException(file, where + ": expected a list");
            }
            String id = videoId(entry.getKey());
            JsonNode list = entry.getValue();
            for (int i = 0; i < list.size(); i++) {
                JsonNode r = list.get(i);
                String at = where + "[" + i + "]";
                double[] se = segment(file, at, r.get("segment"));
                JsonNode score = r.get("score");
                if (score == null || !score.isNumber() || !Double.isFinite(score.asDouble())) {
                    throw new AnnotationException(file, at + ": score must be a finite number");
                }
                segments.add(new Segment(id, se[0], se[1], r.path("label").asText(""), score.asDouble()));
            }
        }
        return segments;
    }

    /** Writes ground truth as ActivityNet JSON (atomically). */
    public static void writeGroundTruth(Path file, List<Video> videos) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "kinema");
        ObjectNode database = root.putObject("database");
        for (Video v : videos) {
            ObjectNode info = database.putObject(v.id());
            info.put("duration", v.duration());
            info.put("subset", v.subset());
            ArrayNode annotations = info.putArray("annotations");
            for (Segment s : v.annotations()) {
                ObjectNode a = annotations.addObject();
                a.putArray("segment").add(s.start()).add(s.end());
                a.put("label", s.label());
            }
        }
        write(file, root);
    }

    /** Writes predictions or proposals as ActivityNet's {@code results} JSON (atomically); every listed video appears. */
    public static void writeResults(Path file, List<String> videoIds, List<Segment> segments) throws IOException {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", "kinema");
        ObjectNode results = root.putObject("results");
        for (String id : videoIds) {
            results.putArray(id);
        }
        for (Segment s : segments) {
            ArrayNode list = results.has(s.videoId()) ? (ArrayNode) results.get(s.videoId()) : results.putArray(s.videoId());
            ObjectNode r = list.addObject();
            if (!s.label().isEmpty()) {
                r.put("label", s.label());
            }
            r.put("score", s.score());
            r.putArray("segment").add(s.start()).add(s.end());
        }
        root.putObject("external_data");
        write(file, root);
    }

    private static void write(Path file, JsonNode root) throws IOException {
        AtomicFiles.write(file, out -> MAPPER.writerWithDefaultPrettyPrinter().writeValue(out, root));
    }

    private static double[] segment(Path file, String where, JsonNode segment) {
        if (segment == null || !segment.isArray() || segment.size() != 2 || !segment.get(0).isNumber()
                || !segment.get(1).isNumber()) {
            throw new AnnotationException(file, where + ".segment: expected [start, end] in seconds");
        }
        double start = segment.get(0).asDouble();
        double end = segment.get(1).asDouble();
        if (!Double.isFinite(start) || !Double.isFinite(end) || end < start) {
            throw new AnnotationException(file, where + ".segment: [" + start + ", " + end + "] is not a segment (end before start)");
        }
        return new double[] {start, end};
    }

    private static JsonNode readTree(Path file) {
        try {
            return MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new AnnotationException(file, "no such file");
        } catch (JsonProcessingException e) {
            throw new AnnotationException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new AnnotationException(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }
}

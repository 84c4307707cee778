package dev.kinema.eval.captions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores predictions against Kinema-Motion's caption files (or any in the same layout):
 * <ul>
 *   <li>captions: references in MSR-VTT's layout ({@code {"sentences": [{"video_id", "caption"}]}}),
 *   predictions in COCO's results layout ({@code [{"video_id", "caption"}]}, one per video):
 *   {@link Bleu BLEU-4} and {@link CiderD CIDEr-D} over the predicted videos;</li>
 *   <li>questions: references a list of {@code {"id", "video_id", "question", "answer", "type"}},
 *   predictions {@code [{"id", "answer"}]}: {@link QaAccuracy accuracy} per type.</li>
 * </ul>
 * Which one is told by the references' shape. Videos or questions without a prediction are counted
 * as missing, not scored; a prediction without a reference is an error naming it.
 */
public final class CaptionMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CaptionMetrics() {}

    /** Caption scores over {@code videos} predicted videos; {@code missing} reference videos had no prediction. */
    public record CaptionScores(int videos, int missing, double bleu4, double ciderD) {}

    /** Question accuracy; {@code missing} reference questions had no prediction. */
    public record QaScores(QaAccuracy accuracy, int missing) {}

    /** What a file pair gave: exactly one of the two is non-null. */
    public record Report(CaptionScores captions, QaScores questions) {}

    public static Report evaluate(Path references, Path predictions) {
        return evaluate(references, predictions, null);
    }

    /**
     * Scores against the references of one split only ({@code videos[].split} of captions,
     * {@code split} of questions; null for all), so that the other splits' videos do not count as
     * missing.
     */
    public static Report evaluate(Path references, Path predictions, String split) {
        JsonNode ref = read(references);
        JsonNode pred = read(predictions);
        if (!pred.isArray()) {
            throw new IllegalArgumentException(predictions + ": predictions must be a JSON list");
        }
        if (ref.isObject() && ref.has("sentences")) {
            return new Report(captions(references, ref, predictions, pred, split), null);
        }
        if (ref.isArray()) {
            return new Report(null, questions(references, ref, predictions, pred, split));
        }
        throw new IllegalArgumentException(references + ": neither MSR-VTT captions ({\"sentences\": [...]}) nor a question list");
    }

    /** Scores captions already in memory: references and one prediction per video id. */
    public static CaptionScores captions(Map<String, List<String>> references, Map<String, String> predictions) {
        List<List<List<String>>> refs = new ArrayList<>();
        List<List<String>> hyps = new ArrayList<>();
        for (Map.Entry<String, String> p : predictions.entrySet()) {
            List<String> r = references.get(p.getKey());
            if (r == null) {
                throw new IllegalArgumentException("prediction for video " + p.getKey() + " has no reference captions");
            }
            refs.add(r.stream().map(CaptionText::words).toList());
            hyps.add(CaptionText.words(p.getValue()));
        }
        if (hyps.isEmpty()) {
            throw new IllegalArgumentException("no predicted captions to score");
        }
        int missing = (int) references.keySet().stream().filter(v -> !predictions.containsKey(v)).count();
        return new CaptionScores(hyps.size(), missing, Bleu.corpus(refs, hyps), CiderD.score(refs, hyps).score());
    }

    /** Reference captions by video id, from MSR-VTT's {@code sentences}. */
    public static Map<String, List<String>> readCaptions(Path file) {
        JsonNode ref = read(file);
        if (!ref.has("sentences")) {
            throw new IllegalArgumentException(file + ": no \"sentences\" list (MSR-VTT layout expected)");
        }
        return sentences(file, ref);
    }

    private static Map<String, List<String>> sentences(Path file, JsonNode ref) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode s : ref.get("sentences")) {
            out.computeIfAbsent(text(file, "sentences[" + i + "]", s, "video_id"), k -> new ArrayList<>())
                    .add(text(file, "sentences[" + i + "]", s, "caption"));
            i++;
        }
        return out;
    }

    private static CaptionScores captions(Path refFile, JsonNode ref, Path predFile, JsonNode pred, String split) {
        Map<String, List<String>> references = sentences(refFile, ref);
        if (split != null) {
            java.util.Set<String> inSplit = new java.util.HashSet<>();
            for (JsonNode v : ref.path("videos")) {
                if (split.equals(v.path("split").asText())) {
                    inSplit.add(v.path("video_id").asText());
                }
            }
            if (inSplit.isEmpty()) {
                throw new IllegalArgumentException(refFile + ": no video of split '" + split + "' in its \"videos\" list");
            }
            references.keySet().retainAll(inSplit);
        }
        Map<String, String> predictions = new LinkedHashMap<>();
        for (int i = 0; i < pred.size(); i++) {
            String video = text(predFile, "[" + i + "]", pred.get(i), "video_id");
            if (!references.containsKey(video)) {
                throw new IllegalArgumentException(predFile + ": [" + i + "] video " + video + " has no captions in " + refFile);
            }
            if (predictions.put(video, text(predFile, "[" + i + "]", pred.get(i), "caption")) != null) {
                throw new IllegalArgumentException(predFile + ": [" + i + "] a second caption for video " + video);
            }
        }
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException(predFile + ": no predictions");
        }
        return captions(references, predictions);
    }

    private static QaScores questions(Path refFile, JsonNode ref, Path predFile, JsonNode pred, String split) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (int i = 0; i < ref.size(); i++) {
            JsonNode q = ref.get(i);
            if (split != null && !split.equals(q.path("split").asText())) {
                continue;
            }
            text(refFile, "[" + i + "]", q, "answer");
            text(refFile, "[" + i + "]", q, "type");
            byId.put(text(refFile, "[" + i + "]", q, "id"), q);
        }
        QaAccuracy accuracy = new QaAccuracy();
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (int i = 0; i < pred.size(); i++) {
            String id = text(predFile, "[" + i + "]", pred.get(i), "id");
            JsonNode q = byId.get(id);
            if (q == null) {
                throw new IllegalArgumentException(predFile + ": [" + i + "] question " + id + " is not in " + refFile);
            }
            if (!answered.add(id)) {
                throw new IllegalArgumentException(predFile + ": [" + i + "] a second answer to question " + id);
            }
            accuracy.add(q.get("type").asText(), q.get("answer").asText(), text(predFile, "[" + i + "]", pred.get(i), "answer"));
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(refFile + ": no question" + (split == null ? "" : " of split '" + split + "'"));
        }
        if (answered.isEmpty()) {
            throw new IllegalArgumentException(predFile + ": no answers");
        }
        return new QaScores(accuracy, byId.size() - answered.size());
    }

    private static String text(Path file, String where, JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        if (v == null || v.isNull() || v.isContainerNode()) {
            throw new IllegalArgumentException(file + ": " + where + " has no \"" + field + "\"");
        }
        return v.asText();
    }

    private static JsonNode read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }
}

package dev.kinema.data.datasets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kinema.data.datasets.DatasetReport.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Something-Something v2 as 20BN released it: {@code labels.json} (class name → index, the index a
 * string: {@code {"Approaching something with your camera": "0", ...}}), and {@code train.json},
 * {@code validation.json}, {@code test.json}: lists of {@code {"id", "label", "template",
 * "placeholders"}} ({@code test.json} only has ids). The class of an entry is its
 * {@code template} with the brackets removed ("Putting [something] on [something]" → "Putting
 * something on something"), which is how labels.json names classes; {@code label} is the
 * template filled with the objects and is not used. The {@code something-something-v2-*.json}
 * names MMAction2 uses are read too.
 *
 * <p>Videos are {@code root/<id>.webm} (or {@code root/20bn-something-something-v2/<id>.webm}; an
 * {@code <id>.mp4} is taken when there is no webm). Splits are "train", "val" (validation.json) and
 * "test" (unlabeled). Problem lines are those of the entry's opening brace.
 */
final class SomethingSomethingV2Reader implements DatasetReader {
    private static final String PREFIX = "something-something-v2-";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException {
        if (annotations.isPresent()) {
            Path a = annotations.get();
            if (Files.isRegularFile(a)) {
                Path dir = a.toAbsolutePath().getParent();
                String name = a.getFileName().toString();
                boolean ours = name.endsWith(".json") && (name.equals("labels.json") || name.startsWith(PREFIX)
                        || List.of("train.json", "validation.json", "test.json").contains(name));
                return ours && labelsFile(dir) != null ? Optional.of(dir) : Optional.empty();
            }
            return Files2.firstDir(List.of(a, a.resolve("labels")), d -> labelsFile(d) != null);
        }
        return Files2.firstDir(Arrays.asList(root, root.resolve("labels"), root.resolve("annotations"),
                Files2.resolve(Files2.parent(root), "labels")),
                d -> labelsFile(d) != null && (splitFile(d, "train") != null || splitFile(d, "validation") != null));
    }

    private static Path labelsFile(Path dir) {
        return splitFile(dir, "labels");
    }

    /** {@code dir/<base>.json} or {@code dir/something-something-v2-<base>.json}, or null. */
    private static Path splitFile(Path dir, String base) {
        for (String name : List.of(base + ".json", PREFIX + base + ".json")) {
            if (Files.isRegularFile(dir.resolve(name))) {
                return dir.resolve(name);
            }
        }
        return null;
    }

    @Override
    public VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        Problems problems = new Problems(root, options.strict());
        Path dir = locate(root, annotations).orElseThrow(() -> problems.fatal(annotations.orElse(root), -1,
                "no Something-Something v2 labels.json found"
                        + (annotations.isEmpty() ? " in the root, labels/, annotations/ or ../labels/" : "")));
        Labels labels = readLabels(labelsFile(dir), problems);
        Path videos = root;
        if (Files.isDirectory(root.resolve("20bn-something-something-v2"))) {
            videos = root.resolve("20bn-something-something-v2");
        }
        Map<String, List<VideoSample>> splits = new LinkedHashMap<>();
        String[][] names = {{"train", "train"}, {"val", "validation"}, {"test", "test"}};
        for (String[] n : names) {
            Path file = splitFile(dir, n[1]);
            if (file != null) {
                splits.put(n[0], readSplit(file, n[0], labels, videos, options, problems));
            }
        }
        if (splits.isEmpty()) {
            throw problems.fatal(dir, -1, "no train.json, validation.json or test.json");
        }
        return new VideoDataset(DatasetFormat.SSV2, root, labels.names(), splits, problems.report());
    }

    private static Labels readLabels(Path file, Problems problems) throws IOException {
        Map<Integer, String> byIndex = new HashMap<>();
        Map<Integer, Integer> lineOf = new HashMap<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw problems.fatal(file, line(p), "expected an object of class name to index");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                int line = line(p);
                JsonToken v = p.nextToken();
                Integer idx = null;
                if (v == JsonToken.VALUE_STRING) {
                    idx = TextLines.parseInt(p.getText().strip());
                } else if (v == JsonToken.VALUE_NUMBER_INT) {
                    idx = p.getIntValue();
                } else {
                    p.skipChildren();
                }
                if (idx == null || idx < 0) {
                    throw problems.fatal(file, line, "class '" + name + "' has no index (a number as a string, e.g. \"0\")");
                }
                if (byIndex.containsKey(idx)) {
                    throw problems.fatal(file, line, "class index " + idx + " already given on line " + lineOf.get(idx));
                }
                byIndex.put(idx, name);
                lineOf.put(idx, line);
            }
        } catch (JsonProcessingException e) {
            throw problems.fatal(file, e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage());
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < byIndex.size(); i++) {
            if (!byIndex.containsKey(i)) {
                throw problems.fatal(file, -1, "class indices must run from 0 to " + (byIndex.size() - 1)
                        + " but " + i + " is missing");
            }
            names.add(byIndex.get(i));
        }
        try {
            return new Labels(names);
        } catch (IllegalArgumentException e) {
            throw problems.fatal(file, -1, e.getMessage());
        }
    }

    private static List<VideoSample> readSplit(Path file, String split, Labels labels, Path videos,
            DatasetOptions options, Problems problems) throws IOException {
        List<VideoSample> out = new ArrayList<>();
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw problems.fatal(file, line(p), "expected a list of entries");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
                int line = line(p);
                if (t != JsonToken.START_OBJECT) {
                    String what = t == JsonToken.START_ARRAY ? "a list" : "'" + p.getText() + "'";
                    p.skipChildren();
                    problems.add(Kind.MALFORMED, file, line, "expected an entry {\"id\": ...}, got " + what);
                    continue;
                }
                JsonNode entry = JSON.readTree(p);
                JsonNode idNode = entry.get("id");
                if (idNode == null || !(idNode.isTextual() || idNode.isIntegralNumber()) || idNode.asText().isBlank()) {
                    problems.add(Kind.MALFORMED, file, line, "entry has no 'id'");
                    continue;
                }
                String id = idNode.asText().strip();
                JsonNode template = entry.get("template");
                int label = -1;
                String name = null;
                if (template != null && template.isTextual()) {
                    name = template.asText().replace("[", "").replace("]", "");
                    label = labels.indexOf(name);
                    if (label < 0) {
                        problems.add(Kind.UNKNOWN_LABEL, file, line, "unknown class '" + name + "' (id " + id + ")");
                        continue;
                    }
                } else if (!split.equals("test")) {
                    problems.add(Kind.MALFORMED, file, line, "entry has no 'template' (id " + id + ")");
                    continue;
                }
                Path video = videos.resolve(id + ".webm");
                if (options.checkFiles() && !Files.isRegularFile(video)) {
                    Path mp4 = videos.resolve(id + ".mp4");
                    if (!Files.isRegularFile(mp4)) {
                        problems.add(Kind.MISSING_FILE, file, line, "missing file " + problems.display(video));
                        continue;
                    }
                    video = mp4;
                }
                out.add(VideoSample.ofFile(video, label, name, split, file, line));
            }
        } catch (JsonProcessingException e) {
            throw problems.fatal(file, e.getLocation() == null ? -1 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage());
        }
        return out;
    }

    private static int line(JsonParser p) {
        return p.currentTokenLocation().getLineNr();
    }
}

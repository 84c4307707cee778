package dev.kinema.data.annotations;

import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AVA's files. Ground truth: {@code video_id,timestamp,x1,y1,x2,y2,action_id,person_id} (the
 * {@code person_id} column may be absent). Detections: the same plus a score,
 * {@code ...,action_id,person_id,score}; the official evaluator's and MMAction2's eight-column
 * form {@code ...,action_id,score} is read too. Proposals (person boxes with no action):
 * {@code video_id,timestamp,x1,y1,x2,y2[,score]}. Excluded timestamps: {@code video_id,timestamp}.
 * The label map is AVA's pbtxt ({@code item { name: "..." id: N }}; {@code label_id} is accepted
 * for {@code id}). Timestamps are whole seconds. A bad line is an {@link AnnotationException}
 * naming {@code file:line}.
 */
public final class AvaCsv {
    private static final Pattern NAME = Pattern.compile("name:\\s*[\"']([^\"']*)[\"']");
    private static final Pattern ID = Pattern.compile("(?<![a-z_])(?:label_)?id:\\s*(-?\\d+)");

    private AvaCsv() {}

    /** Reads ground truth (7 or 8 columns). */
    public static List<ActorBox> readGroundTruth(Path file) throws IOException {
        List<ActorBox> boxes = new ArrayList<>();
        forEachRow(file, (row, line) -> {
            if (row.length != 7 && row.length != 8) {
                throw new AnnotationException(file, line, "expected 7 or 8 columns "
                        + "(video_id,timestamp,x1,y1,x2,y2,action_id[,person_id]), got " + row.length);
            }
            boxes.add(box(file, line, row, row.length == 8 ? integer(file, line, row[7], "person_id") : -1, 1.0));
        });
        return boxes;
    }

    /** Reads detections: 9 columns ({@code person_id,score}) or the official 8 ({@code score} after {@code action_id}). */
    public static List<ActorBox> readDetections(Path file) throws IOException {
        List<ActorBox> boxes = new ArrayList<>();
        forEachRow(file, (row, line) -> {
            if (row.length != 8 && row.length != 9) {
                throw new AnnotationException(file, line, "expected 9 columns "
                        + "(video_id,timestamp,x1,y1,x2,y2,action_id,person_id,score) or 8 (without person_id), got " + row.length);
            }
            int person = row.length == 9 ? integer(file, line, row[7], "person_id") : -1;
            double score = ThumosLists.number(file, line, row[row.length - 1], "score");
            boxes.add(box(file, line, row, person, score));
        });
        return boxes;
    }

    /** Reads person proposals: {@code video_id,timestamp,x1,y1,x2,y2[,score]}; action id 0. */
    public static List<ActorBox> readProposals(Path file) throws IOException {
        List<ActorBox> boxes = new ArrayList<>();
        forEachRow(file, (row, line) -> {
            if (row.length != 6 && row.length != 7) {
                throw new AnnotationException(file, line, "expected 6 or 7 columns (video_id,timestamp,x1,y1,x2,y2[,score]), got " + row.length);
            }
            double score = row.length == 7 ? ThumosLists.number(file, line, row[6], "score") : 1.0;
            String[] padded = {row[0], row[1], row[2], row[3], row[4], row[5], "0"};
            boxes.add(box(file, line, padded, -1, score));
        });
        return boxes;
    }

    /** Reads excluded timestamps as image keys ({@link ActorBox#key}). */
    public static Set<String> readExclusions(Path file) throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        forEachRow(file, (row, line) -> {
            if (row.length != 2) {
                throw new AnnotationException(file, line, "expected 2 columns (video_id,timestamp), got " + row.length);
            }
            keys.add(ActorBox.key(row[0], timestamp(file, line, row[1])));
        });
        return keys;
    }

    /** Reads a pbtxt label map: action id to name, in file order. */
    public static Map<Integer, String> readLabelMap(Path file) throws IOException {
        List<String> lines = readLines(file);
        Map<Integer, String> labels = new LinkedHashMap<>();
        String name = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher n = NAME.matcher(line);
            if (n.find()) {
                name = n.group(1);
            }
            Matcher id = ID.matcher(line);
            if (id.find()) {
                if (name == null) {
                    throw new AnnotationException(file, i + 1, "id " + id.group(1) + " before any name");
                }
                int value = Integer.parseInt(id.group(1));
                if (labels.put(value, name) != null) {
                    throw new AnnotationException(file, i + 1, "id " + value + " appears twice");
                }
                name = null;
            }
        }
        if (labels.isEmpty()) {
            throw new AnnotationException(file, "no label map items (item { name: \"...\" id: N })");
        }
        return labels;
    }

    /** Writes a pbtxt label map (atomically). */
    public static void writeLabelMap(Path file, Map<Integer, String> labels) throws IOException {
        StringBuilder sb = new StringBuilder();
        labels.forEach((id, name) -> sb.append("item {\n  name: \"").append(name).append("\"\n  id: ").append(id).append("\n}\n"));
        writeText(file, sb.toString());
    }

    /** Writes ground truth (8 columns) or, with {@code withScores}, detections (9 columns), atomically. */
    public static void write(Path file, List<ActorBox> boxes, boolean withScores) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (ActorBox b : boxes) {
            sb.append(String.format(Locale.ROOT, "%s,%04d,%.3f,%.3f,%.3f,%.3f,%d,%d", b.videoId(), b.timestamp(), b.x1(), b.y1(),
                    b.x2(), b.y2(), b.actionId(), b.personId()));
            if (withScores) {
                sb.append(String.format(Locale.ROOT, ",%.4f", b.score()));
            }
            sb.append('\n');
        }
        writeText(file, sb.toString());
    }

    /** Writes excluded timestamps (atomically). */
    public static void writeExclusions(Path file, List<String> keys) throws IOException {
        writeText(file, keys.isEmpty() ? "" : String.join("\n", keys) + "\n");
    }

    private static void writeText(Path file, String text) throws IOException {
        AtomicFiles.write(file, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(text);
            w.flush();
        });
    }

    private interface RowConsumer {
        void accept(String[] row, int line);
    }

    private static void forEachRow(Path file, RowConsumer consumer) throws IOException {
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                String[] row = line.split(",", -1);
                for (int c = 0; c < row.length; c++) {
                    row[c] = row[c].strip();
                }
                consumer.accept(row, i + 1);
            }
        }
    }

    private static List<String> readLines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new AnnotationException(file, "no such file");
        }
    }

    private static ActorBox box(Path file, int line, String[] row, int person, double score) {
        if (row[0].isEmpty()) {
            throw new AnnotationException(file, line, "empty video_id");
        }
        int timestamp = timestamp(file, line, row[1]);
        double x1 = coordinate(file, line, row[2], "x1");
        double y1 = coordinate(file, line, row[3], "y1");
        double x2 = coordinate(file, line, row[4], "x2");
        double y2 = coordinate(file, line, row[5], "y2");
        int action = integer(file, line, row[6], "action_id");
        return new ActorBox(row[0], timestamp, x1, y1, x2, y2, action, person, score);
    }

    private static double coordinate(Path file, int line, String text, String what) {
        double v = ThumosLists.number(file, line, text, what);
        if (v < 0 || v > 1) {
            throw new AnnotationException(file, line, what + " " + text + " is outside [0, 1] (AVA boxes are normalised)");
        }
        return v;
    }

    /** AVA timestamps are whole seconds, sometimes written with leading zeros or as {@code 902.0}. */
    private static int timestamp(Path file, int line, String text) {
        double v = ThumosLists.number(file, line, text, "timestamp");
        if (v != Math.rint(v) || v < 0) {
            throw new AnnotationException(file, line, "timestamp " + text + " is not a whole number of seconds");
        }
        return (int) v;
    }

    private static int integer(Path file, int line, String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new AnnotationException(file, line, what + " '" + text + "' is not an integer");
        }
    }
}

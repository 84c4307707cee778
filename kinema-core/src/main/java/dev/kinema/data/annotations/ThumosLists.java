package dev.kinema.data.annotations;

import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.io.Writer;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * THUMOS14's temporal annotations: one text file per class, {@code <Class>_<subset>.txt} (e.g.
 * {@code BaseballPitch_test.txt}), each line {@code video_id start end} in seconds, separated by
 * spaces or tabs. The class is the file name before its last {@code _}; THUMOS's
 * {@code Ambiguous_*} file (segments no one could label) is read like any other class, so a caller
 * that wants to ignore it filters the label.
 */
public final class ThumosLists {
    private ThumosLists() {}

    /** Reads every {@code *.txt} list in {@code folder} (sorted by name), or one list file. */
    public static List<Segment> read(Path folderOrFile) throws IOException {
        if (!Files.exists(folderOrFile)) {
            throw new AnnotationException(folderOrFile, "no such file or folder");
        }
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(folderOrFile)) {
            try (Stream<Path> s = Files.list(folderOrFile)) {
                s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().forEach(files::add);
            }
        } else {
            files.add(folderOrFile);
        }
        List<Segment> segments = new ArrayList<>();
        for (Path f : files) {
            segments.addAll(readList(f));
        }
        return segments;
    }

    /** Reads one class list; the class comes from the file name. */
    public static List<Segment> readList(Path file) throws IOException {
        String name = file.getFileName().toString().replaceFirst("\\.txt$", "");
        int cut = name.lastIndexOf('_');
        String label = cut > 0 ? name.substring(0, cut) : name;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 3) {
                throw new AnnotationException(file, i + 1, "expected 'video_id start end', got " + f.length + " fields");
            }
            double start = number(file, i + 1, f[1], "start");
            double end = number(file, i + 1, f[2], "end");
            if (end < start) {
                throw new AnnotationException(file, i + 1, "end " + f[2] + " is before start " + f[1]);
            }
            segments.add(Segment.truth(ActivityNetJson.videoId(f[0]), start, end, label));
        }
        return segments;
    }

    /** Writes one {@code <label>_<subset>.txt} per label into {@code folder} (atomically each), segments in the given order. */
    public static void write(Path folder, String subset, List<String> labels, List<Segment> segments) throws IOException {
        Map<String, List<Segment>> byLabel = new TreeMap<>();
        labels.forEach(l -> byLabel.put(l, new ArrayList<>()));
        segments.forEach(s -> byLabel.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s));
        for (Map.Entry<String, List<Segment>> e : byLabel.entrySet()) {
            AtomicFiles.write(folder.resolve(e.getKey() + "_" + subset + ".txt"), out -> {
                Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                for (Segment s : e.getValue()) {
                    w.write(String.format(Locale.ROOT, "%s %.1f %.1f%n", s.videoId(), s.start(), s.end()));
                }
                w.flush();
            });
        }
    }

    static double number(Path file, int line, String text, String what) {
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new AnnotationException(file, line, what + " '" + text + "' is not a number");
    }
}

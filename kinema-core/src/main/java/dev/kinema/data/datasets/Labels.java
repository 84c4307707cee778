package dev.kinema.data.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** A class list (index → name) with its reverse map. */
final class Labels {
    /**
     * Sorts as Python's {@code sorted()} does on str: by Unicode code point, case-sensitive. That is
     * the order torchvision's {@code find_classes} (ImageFolder, Kinetics, HMDB51) gives classes.
     */
    static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final List<String> names;
    private final Map<String, Integer> index;

    Labels(List<String> names) {
        this.names = List.copyOf(names);
        this.index = new HashMap<>();
        for (int i = 0; i < this.names.size(); i++) {
            if (index.putIfAbsent(this.names.get(i), i) != null) {
                throw new IllegalArgumentException("class '" + this.names.get(i) + "' is listed twice");
            }
        }
    }

    /** The names sorted by code point, duplicates dropped. */
    static Labels sorted(Collection<String> names) {
        TreeSet<String> set = new TreeSet<>(CODE_POINT_ORDER);
        set.addAll(names);
        return new Labels(new ArrayList<>(set));
    }

    /**
     * A label map file: one class name a line, the line order giving the index (MMAction2's
     * {@code label_map_k400.txt}). Blank lines are skipped; a name listed twice is an error.
     */
    static Labels readMap(Path file, Problems problems) throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (TextLines.Line line : TextLines.read(file)) {
            String name = line.text().strip();
            Integer first = seen.putIfAbsent(name, line.number());
            if (first != null) {
                throw problems.fatal(file, line.number(), "class '" + name + "' already listed on line " + first);
            }
            names.add(name);
        }
        if (names.isEmpty()) {
            throw problems.fatal(file, -1, "label map is empty");
        }
        return new Labels(names);
    }

    List<String> names() {
        return names;
    }

    int size() {
        return names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    /** The index of {@code name}, or -1. */
    int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }
}

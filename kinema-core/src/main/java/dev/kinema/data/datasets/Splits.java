package dev.kinema.data.datasets;

import java.util.Comparator;
import java.util.Locale;
import java.util.Set;

/** Split names: the usual aliases, the usual order, and guessing a split from a file name. */
final class Splits {
    static final String ALL = "all";
    private static final Set<String> TRAIN = Set.of("train", "training");
    private static final Set<String> VAL = Set.of("val", "valid", "validate", "validation");
    private static final Set<String> TEST = Set.of("test", "testing");

    private Splits() {}

    /** "train", "val" or "test" for a known alias (any case), else null. */
    static String canonical(String name) {
        String s = name.toLowerCase(Locale.ROOT);
        if (TRAIN.contains(s)) {
            return "train";
        }
        if (VAL.contains(s)) {
            return "val";
        }
        if (TEST.contains(s)) {
            return "test";
        }
        return null;
    }

    static boolean isKnown(String name) {
        return canonical(name) != null;
    }

    /** train, then val, then test, then the rest by name. */
    static final Comparator<String> ORDER = Comparator.comparingInt(Splits::rank).thenComparing(Comparator.naturalOrder());

    private static int rank(String split) {
        String c = canonical(split);
        if (c == null) {
            return 3;
        }
        return switch (c) {
            case "train" -> 0;
            case "val" -> 1;
            default -> 2;
        };
    }

    /**
     * The split a list file is for, from the words of its name: {@code kinetics400_train_list_videos.txt}
     * is "train", {@code val.csv} is "val"; null when no word names a split.
     */
    static String fromFileName(String fileName) {
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        for (String word : stem.split("[^A-Za-z]+")) {
            String c = canonical(word);
            if (c != null) {
                return c;
            }
        }
        return null;
    }
}

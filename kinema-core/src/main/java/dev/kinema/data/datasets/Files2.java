package dev.kinema.data.datasets;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** Small file-system helpers shared by the readers. */
final class Files2 {
    private Files2() {}

    /** The entries of {@code dir} sorted by name by code point, hidden ones (".x") left out. */
    static List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".")) {
                    out.add(p);
                }
            }
        }
        out.sort((a, b) -> Labels.CODE_POINT_ORDER.compare(a.getFileName().toString(), b.getFileName().toString()));
        return out;
    }

    static List<Path> listDirs(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : list(dir)) {
            if (Files.isDirectory(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The regular files of {@code dir} whose names pass {@code test}, sorted by name. */
    static List<Path> listFiles(Path dir, Predicate<String> test) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        for (Path p : list(dir)) {
            if (test.test(p.getFileName().toString()) && Files.isRegularFile(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The first of {@code candidates} (nulls skipped) that is a folder passing {@code test}. */
    static Optional<Path> firstDir(List<Path> candidates, IoPredicate<Path> test) throws IOException {
        for (Path c : candidates) {
            if (c != null && Files.isDirectory(c) && test.test(c)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** {@code root}'s parent, or null. */
    static Path parent(Path root) {
        return root.toAbsolutePath().normalize().getParent();
    }

    static Path resolve(Path base, String child) {
        return base == null ? null : base.resolve(child);
    }

    /** A path from an annotation line (always '/'-separated there) under {@code root}. */
    static Path under(Path root, String relative) {
        String r = relative.replace('\\', '/');
        Path p = Path.of(r);
        return p.isAbsolute() ? p : root.resolve(r);
    }

    @FunctionalInterface
    interface IoPredicate<T> {
        boolean test(T t) throws IOException;
    }
}

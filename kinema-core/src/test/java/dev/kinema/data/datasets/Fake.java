package dev.kinema.data.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds fake datasets: empty placeholder videos and small annotation files. */
final class Fake {
    private Fake() {}

    /** Creates empty files (and their folders) under {@code root}. */
    static void touch(Path root, String... relative) {
        for (String r : relative) {
            Path p = root.resolve(r);
            try {
                Files.createDirectories(p.getParent());
                Files.write(p, new byte[0]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Writes {@code lines}, each ended by '\n', to {@code root/relative}; returns the file. */
    static Path write(Path root, String relative, String... lines) {
        return writeRaw(root, relative, String.join("\n", lines) + "\n");
    }

    static Path writeRaw(Path root, String relative, String text) {
        Path p = root.resolve(relative);
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    static void mkdirs(Path root, String... relative) {
        for (String r : relative) {
            try {
                Files.createDirectories(root.resolve(r));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Frames {@code img_00001.jpg .. img_<n>.jpg} in {@code root/dir}. */
    static void frames(Path root, String dir, int n) {
        for (int i = 1; i <= n; i++) {
            touch(root, String.format("%s/img_%05d.jpg", dir, i));
        }
    }

    static DatasetOptions lenient() {
        return DatasetOptions.defaults();
    }

    static DatasetOptions strict() {
        return DatasetOptions.builder().optStrict(true).build();
    }
}

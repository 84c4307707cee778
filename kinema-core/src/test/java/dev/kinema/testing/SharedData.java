package dev.kinema.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real media in {@code ../shared/data} (see its MANIFEST), which CI places beside the clone. */
public final class SharedData {
    private SharedData() {}

    public static Path file(String name) {
        Path dir = Path.of(System.getProperty("kinema.shared", "../../shared")).resolve("data");
        Path p = dir.resolve(name).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("shared test media missing: " + p
                    + " (tests expect ../shared/data beside the repository; see README)");
        }
        return p;
    }
}

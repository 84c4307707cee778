package dev.kinema.spark;

import dev.kinema.video.VideoFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The videos a job reads, listed on the driver from what the user typed: a video file, a folder
 * (every video under it), a glob such as {@code data/**}{@code /*.mp4}, or a list file
 * ({@code .txt} or {@code .list}, one path per line, {@code #} comments).
 */
final class VideoInputs {
    private VideoInputs() {}

    /** Absolute paths in a stable order; a named file that does not exist is kept (its row reports it). */
    static List<String> resolve(List<String> inputs) {
        List<String> videos = new ArrayList<>();
        for (String input : inputs) {
            if (isGlob(input)) {
                videos.addAll(glob(input));
            } else if (Files.isDirectory(Path.of(input))) {
                videos.addAll(walk(Path.of(input), p -> VideoFiles.isVideoFile(p.getFileName().toString())));
            } else if (input.endsWith(".txt") || input.endsWith(".list")) {
                videos.addAll(listFile(Path.of(input)));
            } else {
                videos.add(Path.of(input).toAbsolutePath().normalize().toString());
            }
        }
        if (videos.isEmpty()) {
            throw new IllegalArgumentException("no videos in " + String.join(", ", inputs));
        }
        return videos;
    }

    private static boolean isGlob(String input) {
        return input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{");
    }

    private static List<String> glob(String pattern) {
        Path absolute = Path.of(pattern.replaceAll("[*?\\[{].*", "x")).toAbsolutePath();
        // The folder before the first wildcard is walked; the whole pattern is matched against absolute paths.
        Path base = absolute.getParent();
        String full = Path.of(pattern).isAbsolute() ? pattern : Path.of("").toAbsolutePath() + "/" + pattern;
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + full);
        if (base == null || !Files.isDirectory(base)) {
            throw new IllegalArgumentException(pattern + ": no folder " + base + " to search");
        }
        return walk(base, matcher::matches);
    }

    private static List<String> walk(Path dir, java.util.function.Predicate<Path> keep) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> p.toAbsolutePath().normalize()).filter(keep)
                    .map(Path::toString).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private static List<String> listFile(Path list) {
        try {
            Path base = list.toAbsolutePath().getParent();
            return Files.readAllLines(list).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> base.resolve(l).normalize().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(list + ": " + e.getMessage(), e);
        }
    }
}

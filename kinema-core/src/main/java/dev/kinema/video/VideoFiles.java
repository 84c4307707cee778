package dev.kinema.video;

import java.util.Locale;
import java.util.Set;

/**
 * Which files are taken as videos by their name: what dataset folders
 * ({@code dev.kinema.data.datasets.DatasetOptions}) and flow precomputation
 * ({@code dev.kinema.flow.FlowCacheWriter}) look for.
 */
public final class VideoFiles {
    /** The file extensions taken as videos, lower case, without the dot (compared without case). */
    public static final Set<String> EXTENSIONS = Set.of(
            "mp4", "avi", "mkv", "webm", "mov", "m4v", "mpg", "mpeg", "flv", "wmv", "3gp", "ts", "ogv");

    private VideoFiles() {}

    /** True when {@code fileName} ends in one of {@link #EXTENSIONS}. */
    public static boolean isVideoFile(String fileName) {
        return hasExtension(fileName, EXTENSIONS);
    }

    /** True when {@code fileName} ends in one of {@code extensions} (lower case, without the dot). */
    public static boolean hasExtension(String fileName, Set<String> extensions) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && extensions.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

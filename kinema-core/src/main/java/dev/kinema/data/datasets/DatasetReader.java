package dev.kinema.data.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads one dataset layout. */
public interface DatasetReader {
    /**
     * Reads the dataset under {@code root}.
     *
     * @param root the folder the layout's video paths are relative to
     * @param annotations the annotation file or folder, or empty to look for it where the layout
     *     usually keeps it
     * @throws DatasetFormatException for the first problem in strict mode, and in any mode when
     *     nothing can be read (no annotation file, a broken class index)
     * @throws IOException when a file cannot be read
     */
    VideoDataset read(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException;

    /**
     * Where this layout's annotations are for {@code root} (and the optional {@code annotations}
     * argument), or empty when they are not there. Used to detect the layout; cheap: a few stats
     * and at most a few small reads.
     */
    Optional<Path> locate(Path root, Optional<Path> annotations) throws IOException;
}

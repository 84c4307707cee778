package dev.kinema.data.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Opens a dataset in whichever layout it is in: told ({@link DatasetOptions#format()}, a
 * {@code --format} name) or detected from what is on disk.
 *
 * <p>Detection, with an annotation argument: a file is judged by its name and first line
 * ({@code classInd.txt}/{@code trainlist01.txt} → UCF101, {@code *_test_split1.txt} → HMDB51,
 * {@code labels.json}/{@code train.json} → Something-Something v2, a CSV with a {@code youtube_id}
 * column → Kinetics, lines of 2 fields → video list, of 3 or 4 with numbers → rawframes list); a
 * folder by the files in it, in that order. Without one, the root and the folders each layout
 * usually keeps its annotations in are searched in the order UCF101, HMDB51, Something-Something
 * v2, Kinetics; when none is there, the root is a folder per class.
 */
public final class DatasetFormats {
    /** Layouts tried when detecting, most specific first. */
    private static final List<DatasetFormat> ORDER = List.of(DatasetFormat.AVA, DatasetFormat.UCF101, DatasetFormat.HMDB51,
            DatasetFormat.SSV2, DatasetFormat.KINETICS, DatasetFormat.RAWFRAMES, DatasetFormat.VIDEO_LIST,
            DatasetFormat.FOLDER);

    /** A detected layout and the annotation file or folder that gave it away. */
    public record Detection(DatasetFormat format, Path evidence) {
        @Override
        public String toString() {
            return format.id() + " (from " + evidence + ")";
        }
    }

    private DatasetFormats() {}

    /** Detects the layout of {@code root} and reads it with the default options. */
    public static VideoDataset open(Path root) throws IOException {
        return open(root, Optional.empty(), DatasetOptions.defaults());
    }

    /**
     * Reads the dataset under {@code root}, in the format of {@code options} or else the detected one.
     *
     * @param root the folder the video paths are relative to
     * @param annotations an annotation file or folder, or empty to look where the layout keeps them
     * @throws DatasetFormatException when no layout fits, for the first problem in strict mode, and
     *     when the annotations cannot be read at all
     */
    public static VideoDataset open(Path root, Optional<Path> annotations, DatasetOptions options) throws IOException {
        if (annotations.isPresent() && !Files.exists(annotations.get())) {
            throw new DatasetFormatException(annotations.get() + ": not found");
        }
        if (annotations.isEmpty() && !Files.isDirectory(root)) {
            throw new DatasetFormatException(root + ": not a directory");
        }
        DatasetFormat format = options.format().isPresent() ? options.format().get() : detect(root, annotations).format();
        return format.reader().read(root, annotations, options);
    }

    /**
     * The layout of {@code root} (and {@code annotations}, when given).
     *
     * @throws DatasetFormatException when no layout fits, naming what was looked for
     */
    public static Detection detect(Path root, Optional<Path> annotations) throws IOException {
        for (DatasetFormat f : ORDER) {
            Optional<Path> where = f.reader().locate(root, annotations);
            if (where.isPresent()) {
                return new Detection(f, where.get());
            }
        }
        if (annotations.isPresent()) {
            throw new DatasetFormatException(annotations.get() + ": not an annotation file of a known layout "
                    + "(UCF101 classInd/trainlist, HMDB51 *_test_splitN.txt, Something-Something v2 JSON, "
                    + "Kinetics CSV, 'path label' or 'frame_dir total_frames label' list); use --format to say which");
        }
        throw new DatasetFormatException(root + ": no dataset layout recognized: no annotation files and no class folders");
    }
}

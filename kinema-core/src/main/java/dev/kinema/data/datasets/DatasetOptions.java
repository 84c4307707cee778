package dev.kinema.data.datasets;

import dev.kinema.video.VideoFiles;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** How a dataset is read: which format, how strict, which official split, frame names, class map. */
public final class DatasetOptions {
    /** The file extensions taken as videos in folder layouts (compared without case). */
    public static final Set<String> DEFAULT_VIDEO_EXTENSIONS = VideoFiles.EXTENSIONS;

    private final DatasetFormat format;
    private final boolean strict;
    private final boolean checkFiles;
    private final int splitNumber;
    private final String frameTemplate;
    private final Path labelMap;
    private final Set<String> videoExtensions;

    private DatasetOptions(Builder b) {
        this.format = b.format;
        this.strict = b.strict;
        this.checkFiles = b.checkFiles;
        this.splitNumber = b.splitNumber;
        this.frameTemplate = b.frameTemplate;
        this.labelMap = b.labelMap;
        this.videoExtensions = Set.copyOf(b.videoExtensions);
    }

    /** Detect the format, lenient, check that files exist, split 1, {@code img_{:05}.jpg} frames. */
    public static DatasetOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The format to read, or empty to detect it. */
    public Optional<DatasetFormat> format() {
        return Optional.ofNullable(format);
    }

    /** Throw the first problem instead of collecting it and skipping the sample. */
    public boolean strict() {
        return strict;
    }

    /** Check that each video file (or frame folder) exists: one stat a sample, nothing decoded. */
    public boolean checkFiles() {
        return checkFiles;
    }

    /**
     * Which official train/test split to read for UCF101 and HMDB51 (1 to 3); 0 means "the one the
     * annotation file named, else 1".
     */
    public int splitNumber() {
        return splitNumber;
    }

    /** File name template of extracted frames; MMAction2's default {@code img_{:05}.jpg}. */
    public String frameTemplate() {
        return frameTemplate;
    }

    /**
     * A class list (one name a line, line order = index) to use instead of the layout's own order,
     * for layouts that have no class index file (folder, Kinetics, HMDB51, lists). Names not in it
     * are unknown labels.
     */
    public Optional<Path> labelMap() {
        return Optional.ofNullable(labelMap);
    }

    public Set<String> videoExtensions() {
        return videoExtensions;
    }

    /** True when {@code fileName} ends in one of {@link #videoExtensions()}. */
    public boolean isVideoFile(String fileName) {
        return VideoFiles.hasExtension(fileName, videoExtensions);
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.format = format;
        b.strict = strict;
        b.checkFiles = checkFiles;
        b.splitNumber = splitNumber;
        b.frameTemplate = frameTemplate;
        b.labelMap = labelMap;
        b.videoExtensions = new TreeSet<>(videoExtensions);
        return b;
    }

    public static final class Builder {
        private DatasetFormat format;
        private boolean strict;
        private boolean checkFiles = true;
        private int splitNumber;
        private String frameTemplate = FrameFolder.DEFAULT_TEMPLATE;
        private Path labelMap;
        private Set<String> videoExtensions = new TreeSet<>(DEFAULT_VIDEO_EXTENSIONS);

        private Builder() {}

        public Builder optFormat(DatasetFormat format) {
            this.format = format;
            return this;
        }

        /** The format by name or alias, as a {@code --format} option gives it. */
        public Builder optFormat(String name) {
            this.format = DatasetFormat.fromName(name);
            return this;
        }

        public Builder optStrict(boolean strict) {
            this.strict = strict;
            return this;
        }

        public Builder optCheckFiles(boolean checkFiles) {
            this.checkFiles = checkFiles;
            return this;
        }

        public Builder optSplitNumber(int splitNumber) {
            if (splitNumber < 0) {
                throw new IllegalArgumentException("split number must be >= 1 (or 0 for the default), got " + splitNumber);
            }
            this.splitNumber = splitNumber;
            return this;
        }

        public Builder optFrameTemplate(String template) {
            FrameFolder.Template.parse(template);
            this.frameTemplate = template;
            return this;
        }

        public Builder optLabelMap(Path labelMap) {
            this.labelMap = labelMap;
            return this;
        }

        public Builder optVideoExtensions(Set<String> extensions) {
            Set<String> s = new TreeSet<>();
            for (String e : extensions) {
                s.add(Objects.requireNonNull(e).toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""));
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException("need at least one video extension");
            }
            this.videoExtensions = s;
            return this;
        }

        public DatasetOptions build() {
            return new DatasetOptions(this);
        }
    }
}

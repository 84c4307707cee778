package dev.kinema.data.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The dataset layouts Kinema reads, with the names a {@code --format} option accepts. */
public enum DatasetFormat {
    /** {@code root/[split/]class/*.mp4}: one folder per class, classes sorted by name. */
    FOLDER("folder", "a folder per class: root/[train|val|test/]<class>/<video or frame folder>",
            FolderReader::new, "folders", "imagefolder", "folder-per-class", "class-folders"),
    /** Kinetics CSVs ({@code label,youtube_id,time_start,time_end,split}) and their clips. */
    KINETICS("kinetics", "Kinetics CSV: label,youtube_id,time_start,time_end,split[,is_cc]",
            KineticsReader::new, "kinetics400", "kinetics600", "kinetics700", "k400", "k600", "k700"),
    /** UCF101's {@code classInd.txt}, {@code trainlistNN.txt}, {@code testlistNN.txt}. */
    UCF101("ucf101", "UCF101: classInd.txt, trainlist0N.txt, testlist0N.txt", Ucf101Reader::new, "ucf"),
    /** HMDB51's {@code <class>_test_splitN.txt} files. */
    HMDB51("hmdb51", "HMDB51: <class>_test_split<N>.txt with 1=train, 2=test, 0=unused", Hmdb51Reader::new, "hmdb"),
    /** Something-Something v2's {@code labels.json} and {@code train/validation/test.json}. */
    SSV2("ssv2", "Something-Something v2: labels.json, train.json, validation.json, test.json",
            SomethingSomethingV2Reader::new, "sthv2", "something-something-v2", "smth-smth-v2", "sthsthv2"),
    /** MMAction2 VideoDataset lists: {@code path label} a line. */
    VIDEO_LIST("list", "a list of 'path label' lines (MMAction2 VideoDataset)",
            () -> new ListReader(false), "videos", "video-list", "videodataset"),
    /** MMAction2 RawframeDataset lists: {@code frame_dir total_frames label} a line. */
    RAWFRAMES("rawframes", "a list of 'frame_dir total_frames label' lines (MMAction2 RawframeDataset)",
            () -> new ListReader(true), "frames", "rawframe-list", "rawframedataset"),
    /** AVA: {@code label_map.pbtxt}, {@code ava_<split>.csv} keyframe boxes, {@code videos/<video_id>.mp4}. */
    AVA("ava", "AVA: label_map.pbtxt, ava_train/val/test.csv (video_id,timestamp,x1,y1,x2,y2,action_id[,person_id]), videos/",
            AvaReader::new, "ava-csv", "multi-actor");

    private final String id;
    private final String description;
    private final Supplier<DatasetReader> reader;
    private final List<String> aliases;

    DatasetFormat(String id, String description, Supplier<DatasetReader> reader, String... aliases) {
        this.id = id;
        this.description = description;
        this.reader = reader;
        this.aliases = List.of(aliases);
    }

    /** The name a {@code --format} option gives. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public List<String> aliases() {
        return aliases;
    }

    public DatasetReader reader() {
        return reader.get();
    }

    /**
     * The format called {@code name}: its id, an alias or the enum constant's name, any case,
     * '_' and '-' alike.
     *
     * @throws IllegalArgumentException naming the known formats
     */
    public static DatasetFormat fromName(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (DatasetFormat f : values()) {
            if (f.id.equals(n) || f.aliases.contains(n) || f.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(n)) {
                return f;
            }
        }
        List<String> ids = new ArrayList<>();
        for (DatasetFormat f : values()) {
            ids.add(f.id);
        }
        throw new IllegalArgumentException("unknown dataset format '" + name + "'; known formats: " + String.join(", ", ids));
    }

    @Override
    public String toString() {
        return id;
    }
}

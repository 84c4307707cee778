package dev.kinema.flow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.kinema.io.AtomicFiles;
import dev.kinema.io.FileFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FlowSource} reading a flow cache written by {@code kinema flow} ({@link FlowCacheWriter}).
 *
 * <p>A cache is a directory with a manifest, {@value #MANIFEST}, recording the format version, the
 * method, size, step and quantisation bound, and the dataset root it was computed from; and one
 * {@link FlowCacheFile} per video, at the video's path relative to the dataset root plus
 * {@value FlowCacheFile#EXTENSION} (so {@code ROOT/train/jump/a.mp4} is
 * {@code FLOW_DIR/train/jump/a.mp4.kflow}).
 *
 * <p>A video is found by its path relative to the recorded root; if the dataset has moved since,
 * by the longest tail of its path that names an entry (so {@code /new/place/train/jump/a.mp4} still
 * finds {@code train/jump/a.mp4.kflow}). A video with no entry is an error naming it.
 *
 * <pre>{@code
 * FlowSource flow = FlowCache.open(Path.of("flow-tvl1"), FlowSettings.of(FlowMethod.TVL1, 128));
 * FlowVideo f = flow.flowOf(video);
 * }</pre>
 *
 * Thread-safe: entries are read independently.
 */
public final class FlowCache implements FlowSource {
    public static final String MANIFEST = "flow.json";
    public static final String FORMAT = "kinema-flow";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The contents of {@value #MANIFEST}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Manifest(String format, int version, String method, int size, int step, float bound,
            String quantization, String datasetRoot) {
        public static Manifest of(FlowSettings settings, float bound, Path datasetRoot) {
            return new Manifest(FORMAT, FlowCacheFile.VERSION, settings.method().id(), settings.size(), settings.step(),
                    bound, "uint8 linear over [-bound, bound] px", datasetRoot.toAbsolutePath().normalize().toString());
        }

        public FlowSettings settings() {
            return new FlowSettings(FlowMethod.parse(method), size, step);
        }

        /**
         * Same flow as {@code other}: everything but the dataset root and the file format's version
         * agrees (entries of an older format are recomputed, not refused).
         */
        public boolean sameFlowAs(Manifest other) {
            return format.equals(other.format) && method.equals(other.method)
                    && size == other.size && step == other.step && bound == other.bound;
        }

        public String describe() {
            return method + " flow at " + size + " px, step " + step + ", bound ±" + bound + " px (format version " + version + ")";
        }
    }

    private final Path dir;
    private final Manifest manifest;
    private final Path root;
    private final Map<Path, Fingerprinted> fingerprints = new ConcurrentHashMap<>();

    private FlowCache(Path dir, Manifest manifest) {
        this.dir = dir;
        this.manifest = manifest;
        this.root = Path.of(manifest.datasetRoot());
    }

    /**
     * Opens the cache in {@code dir}, whatever its settings.
     *
     * @throws IOException if {@code dir} is not a flow cache, or one this Kinema cannot read
     */
    public static FlowCache open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        return new FlowCache(abs, readManifest(abs));
    }

    /**
     * Opens the cache in {@code dir}, refusing it unless it holds flow made with {@code expected}.
     *
     * @throws IOException if {@code dir} is not a flow cache or holds other flow (the message says which)
     */
    public static FlowCache open(Path dir, FlowSettings expected) throws IOException {
        FlowCache cache = open(dir);
        if (!cache.settings().equals(expected)) {
            throw new IOException(cache.dir + " holds " + cache.manifest.describe() + ", not the " + expected
                    + " asked for; point to another cache or recompute with kinema flow");
        }
        return cache;
    }

    static Manifest readManifest(Path dir) throws IOException {
        return readManifest(dir, false);
    }

    /** The manifest in {@code dir}; with {@code anyVersion}, also one of an older format (to upgrade). */
    static Manifest readManifest(Path dir, boolean anyVersion) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir + ": no such flow cache directory");
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(dir + " is not a flow cache: it has no " + MANIFEST + " (write one with kinema flow)");
        }
        Manifest m;
        try {
            m = JSON.readValue(file.toFile(), Manifest.class);
        } catch (IOException e) {
            throw new IOException(file + ": unreadable flow cache manifest (" + e.getMessage() + ")", e);
        }
        if (!FORMAT.equals(m.format()) || m.method() == null || m.datasetRoot() == null) {
            throw new IOException(file + " is not a Kinema flow cache manifest");
        }
        if (m.version() != FlowCacheFile.VERSION && !(anyVersion && m.version() < FlowCacheFile.VERSION)) {
            throw new IOException(file + ": flow cache format version " + m.version() + ", this Kinema reads version "
                    + FlowCacheFile.VERSION + "; recompute the cache with kinema flow");
        }
        try {
            m.settings();
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        return m;
    }

    static void writeManifest(Path dir, Manifest manifest) throws IOException {
        AtomicFiles.write(dir.resolve(MANIFEST), out -> out.write(JSON.writeValueAsBytes(manifest)));
    }

    public Path dir() {
        return dir;
    }

    public Manifest manifest() {
        return manifest;
    }

    public FlowSettings settings() {
        return manifest.settings();
    }

    public float bound() {
        return manifest.bound();
    }

    /**
     * {@code video}'s fingerprint, hashed once per file version: training reads a video's flow every
     * epoch, and its length and modification time say whether it may have changed since.
     */
    private FileFingerprint fingerprint(Path video) throws IOException {
        Path v = video.toAbsolutePath().normalize();
        long bytes = Files.size(v);
        long modified = Files.getLastModifiedTime(v).toMillis();
        Fingerprinted known = fingerprints.get(v);
        if (known != null && known.bytes() == bytes && known.modified() == modified) {
            return known.fingerprint();
        }
        FileFingerprint f = FileFingerprint.of(v);
        fingerprints.put(v, new Fingerprinted(bytes, modified, f));
        return f;
    }

    private record Fingerprinted(long bytes, long modified, FileFingerprint fingerprint) {}

    /** Where {@code video}'s entry is, if it has one. */
    public Optional<Path> find(Path video) {
        Path v = video.toAbsolutePath().normalize();
        if (v.startsWith(root)) {
            Path entry = entryFor(dir, root.relativize(v));
            return Files.isRegularFile(entry) ? Optional.of(entry) : Optional.empty();
        }
        for (int i = 0; i < v.getNameCount(); i++) {
            Path entry = entryFor(dir, v.subpath(i, v.getNameCount()));
            if (Files.isRegularFile(entry)) {
                return Optional.of(entry);
            }
        }
        return Optional.empty();
    }

    /** The entry of the video at {@code relative} (to the dataset root) in cache {@code dir}. */
    static Path entryFor(Path dir, Path relative) {
        return dir.resolve(relative.toString() + FlowCacheFile.EXTENSION);
    }

    /**
     * The cached flow of {@code video}.
     *
     * @throws IOException naming the video if the cache has no flow for it, or naming the entry if
     *     it is corrupted or disagrees with the manifest
     * @throws StaleFlowException if the entry was computed from another video than the one now there
     */
    @Override
    public QuantizedFlow flowOf(Path video) throws IOException {
        Objects.requireNonNull(video, "video");
        Path entry = find(video).orElseThrow(() -> new NoSuchFileException(video.toString(), null,
                "no flow for this video in the cache " + dir + " (computed from " + root
                        + "); run kinema flow on its dataset"));
        FlowCacheFile.Entry read = FlowCacheFile.read(entry);
        FlowCacheFile.Header h = read.header();
        FileFingerprint now = fingerprint(video);
        if (!h.source().equals(now)) {
            throw new StaleFlowException(video + ": its cached flow " + entry + " was computed from another video ("
                    + h.source().describe() + ", the file now has " + now.describe()
                    + "); the video changed after kinema flow: rerun kinema flow on its dataset with --out " + dir);
        }
        if (!h.method().equals(manifest.method()) || h.size() != manifest.size() || h.step() != manifest.step()
                || h.bound() != manifest.bound()) {
            throw new IOException(entry + ": holds " + h.method() + " flow at " + h.size() + " px, step " + h.step()
                    + ", bound ±" + h.bound() + " but its cache says " + manifest.describe());
        }
        return read.flow();
    }

    @Override
    public String toString() {
        return "FlowCache[" + dir + ": " + manifest.describe() + "]";
    }
}

package dev.kinema.engine;

import dev.kinema.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Processor kinds on which oneDNN's kernels passed {@link KernelCheck} with a given libtorch: one
 * tab-separated line each, {@code vendor family model isa libtorch evidence}. The built-in list
 * ({@code verified-cpus.tsv} beside this class) holds the kinds Kinema's test suite checked;
 * {@code KernelCheckTest} fails on a listed kind whose check fails, so an entry is re-verified by
 * every run of the suite on that kind. The local list ({@code $XDG_CACHE_HOME/kinema/verified-cpus.tsv},
 * default {@code ~/.cache}) holds this machine once {@code kinema doctor} has passed on it.
 */
public final class VerifiedCpus {
    private static final String RESOURCE = "verified-cpus.tsv";

    private final List<String[]> rows;

    private VerifiedCpus(List<String[]> rows) {
        this.rows = List.copyOf(rows);
    }

    /** The list shipped with Kinema. */
    public static VerifiedCpus builtIn() {
        try (InputStream in = VerifiedCpus.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE + " beside " + VerifiedCpus.class.getName());
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built-in list followed by this machine's. */
    public static VerifiedCpus all() {
        List<String[]> rows = new ArrayList<>(builtIn().rows);
        rows.addAll(local().rows);
        return new VerifiedCpus(rows);
    }

    /** This machine's list, written by {@code kinema doctor}; empty when there is none or it cannot be read. */
    public static VerifiedCpus local() {
        Path file = localFile();
        try {
            return Files.isRegularFile(file) ? parse(Files.readString(file)) : new VerifiedCpus(List.of());
        } catch (IOException | RuntimeException e) {
            return new VerifiedCpus(List.of());   // a damaged cache only costs speed: the reference path is taken
        }
    }

    /** Where {@link #local()} is kept. */
    public static Path localFile() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path cache = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return cache.resolve("kinema").resolve(RESOURCE);
    }

    /** Adds {@code cpu} with {@code libtorch} to this machine's list, atomically. */
    public static void recordLocally(CpuInfo cpu, String libtorch, String evidence) throws IOException {
        Path file = localFile();
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder(Files.isRegularFile(file) ? Files.readString(file) : "");
        if (local().find(cpu, libtorch).isEmpty()) {
            text.append(line(cpu, libtorch, evidence)).append('\n');
        }
        AtomicFiles.write(file, out -> out.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** The entry's line for {@code cpu}: how a new kind is added to the built-in list. */
    public static String line(CpuInfo cpu, String libtorch, String evidence) {
        return String.join("\t", cpu.vendor(), Integer.toString(cpu.family()), Integer.toString(cpu.model()), cpu.isa(),
                libtorch, evidence.replace('\t', ' ').replace('\n', ' '));
    }

    static VerifiedCpus parse(String text) {
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length < 6) {
                throw new IllegalArgumentException("a verified-CPU line needs 6 tab-separated fields: " + line);
            }
            rows.add(f);
        }
        return new VerifiedCpus(rows);
    }

    /** The evidence of the entry matching {@code cpu} and {@code libtorch} exactly, if any. */
    public Optional<String> find(CpuInfo cpu, String libtorch) {
        for (String[] f : rows) {
            if (f[0].equals(cpu.vendor()) && f[1].equals(Integer.toString(cpu.family()))
                    && f[2].equals(Integer.toString(cpu.model())) && f[3].equals(cpu.isa()) && f[4].equals(libtorch)) {
                return Optional.of(f[5]);
            }
        }
        return Optional.empty();
    }
}

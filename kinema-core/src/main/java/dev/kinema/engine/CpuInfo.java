package dev.kinema.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The processor this JVM runs on, as Linux describes its first core in {@code /proc/cpuinfo}: vendor,
 * family, model and the instruction-set flags that decide which oneDNN kernels libtorch runs.
 * Kernel trust is decided per processor kind (vendor, family, model), because the kernels that
 * crash or compute wrong values do so on some kinds and not others (docs/models.md, "Known engine
 * issues").
 */
public record CpuInfo(String vendor, int family, int model, String modelName, Set<String> flags) {
    /** The instruction-set flags worth naming in a log line or a report (the ones oneDNN dispatches on). */
    private static final List<String> ISA_FLAGS = List.of("avx2", "fma", "avx512f", "avx512bw", "avx512vl",
            "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile", "amx_bf16", "amx_int8");

    private static volatile CpuInfo current;

    public CpuInfo {
        flags = Set.copyOf(flags);
    }

    /**
     * This machine's processor; {@code unknown} fields where /proc/cpuinfo cannot be read. The
     * system property {@code kinema.cpuinfo} names another file to read instead, so that a test can
     * show what Kinema does on a processor it does not have.
     */
    public static CpuInfo current() {
        CpuInfo c = current;
        if (c == null) {
            try {
                c = parse(Files.readString(Path.of(System.getProperty("kinema.cpuinfo", "/proc/cpuinfo"))));
            } catch (IOException | RuntimeException e) {
                c = new CpuInfo("unknown", -1, -1, "unknown", Set.of());
            }
            current = c;
        }
        return c;
    }

    /** The first processor block of a {@code /proc/cpuinfo} text. */
    public static CpuInfo parse(String cpuinfo) {
        String vendor = "unknown";
        String name = "unknown";
        int family = -1;
        int model = -1;
        Set<String> flags = new TreeSet<>();
        for (String line : cpuinfo.split("\n")) {
            if (line.isBlank()) {
                if (!vendor.equals("unknown")) {
                    break;   // the first core's block is enough: every core of a VM is the same kind
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (key) {
                case "vendor_id" -> vendor = value;
                case "cpu family" -> family = Integer.parseInt(value);
                case "model" -> model = Integer.parseInt(value);
                case "model name" -> name = value;
                case "flags" -> flags.addAll(Arrays.asList(value.split("\\s+")));
                default -> { }
            }
        }
        return new CpuInfo(vendor, family, model, name, flags);
    }

    public boolean has(String flag) {
        return flags.contains(flag);
    }

    /** The vector extensions oneDNN picks its kernels by, in a fixed order. */
    public String isa() {
        return ISA_FLAGS.stream().filter(flags::contains).collect(Collectors.joining(" "));
    }

    /** One line: "AuthenticAMD family 25 model 17 (AMD EPYC; avx2 fma avx512f ...)". */
    public String describe() {
        return vendor + " family " + family + " model " + model + " (" + modelName + "; " + isa() + ")";
    }

}

package dev.kinema.engine;

import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides once per process which kernels libtorch runs, and applies it before any model computes.
 *
 * <p>libtorch's oneDNN convolution kernels crash (SIGFPE in a strided backward-data kernel) or
 * return wrong outputs and input gradients on some x86-64 processors, e.g. AMD Zen 5 with AVX-512,
 * while they are right on others (docs/models.md, "Known engine issues"). Kinema therefore trusts
 * oneDNN only on a processor kind where the kernel conformance check ({@link KernelCheck}: every
 * convolution geometry of every registered model, forward and both gradients, against torch 1.13's
 * reference values) has passed: a kind on Kinema's own list ({@link VerifiedCpus}, kept by the
 * test suite), or this machine after {@code kinema doctor} passed on it. Everywhere else it switches
 * oneDNN off process-wide, says so in one log line, and runs libtorch's reference kernels.
 *
 * <p>The setting {@code KINEMA_KERNELS} (environment) or {@code kinema.kernels} (system property)
 * overrides the choice: {@code auto} (the default), {@code onednn} or {@code reference}.
 */
public final class EngineGuard {
    public static final String PROPERTY = "kinema.kernels";
    public static final String ENVIRONMENT = "KINEMA_KERNELS";

    private static final Logger LOG = LoggerFactory.getLogger(EngineGuard.class);
    private static volatile Decision decision;

    /** The choice and why it was made, for the log line, {@code kinema doctor} and reports. */
    public record Decision(KernelPath path, String reason, CpuInfo cpu) {
        public String describe() {
            return "kernels: " + path.setting() + " (" + reason + ")";
        }
    }

    private EngineGuard() {}

    /**
     * Applies this process's kernel choice, once; every later call returns the same decision. Called
     * wherever Kinema builds or loads a model, so that no convolution runs before it.
     */
    public static Decision ensureApplied() {
        Decision d = decision;
        if (d != null) {
            return d;
        }
        synchronized (EngineGuard.class) {
            if (decision == null) {
                Optional<KernelPath> setting = setting();
                Decision chosen = decide(setting, CpuInfo.current(), LibTorchContext.version(), VerifiedCpus.all());
                LibTorchContext.setMkldnnEnabled(chosen.path() == KernelPath.ONEDNN);
                // A user who asked for the reference kernels knows; one who did not is told why, once.
                if (chosen.path() == KernelPath.REFERENCE && setting.isEmpty()) {
                    LOG.warn("Kinema runs libtorch's reference kernels, slower but right on every CPU: {}", chosen.reason());
                } else {
                    LOG.info("Kinema {}", chosen.describe());
                }
                decision = chosen;
            }
            return decision;
        }
    }

    /** The libtorch version DJL loaded, e.g. "2.7.1": what a verified-CPU entry is tied to. */
    public static String libtorchVersion() {
        return LibTorchContext.version();
    }

    /** Whether libtorch's oneDNN switch is on right now (read back from libtorch itself). */
    public static boolean onednnEnabled() {
        return LibTorchContext.mkldnnEnabled();
    }

    /** The setting, if given: "auto", "onednn" or "reference"; anything else is an error naming it. */
    static Optional<KernelPath> setting() {
        String value = System.getProperty(PROPERTY);
        String source = "-D" + PROPERTY;
        if (value == null || value.isBlank()) {
            value = System.getenv(ENVIRONMENT);
            source = ENVIRONMENT;
        }
        if (value == null || value.isBlank() || value.equalsIgnoreCase("auto")) {
            return Optional.empty();
        }
        for (KernelPath p : KernelPath.values()) {
            if (p.setting().equals(value.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        throw new IllegalArgumentException(source + "=" + value + ": expected auto, onednn or reference");
    }

    /** The decision for a processor, a libtorch version, the verified list and an explicit setting (if any). */
    static Decision decide(Optional<KernelPath> setting, CpuInfo cpu, String libtorch, VerifiedCpus verified) {
        if (setting.isPresent()) {
            return new Decision(setting.get(), "set by " + ENVIRONMENT + "/" + PROPERTY, cpu);
        }
        if (!cpu.has("avx2")) {
            return new Decision(KernelPath.REFERENCE, "oneDNN is not verified without AVX2 on " + cpu.describe(), cpu);
        }
        Optional<String> evidence = verified.find(cpu, libtorch);
        if (evidence.isPresent()) {
            return new Decision(KernelPath.ONEDNN, "oneDNN verified on " + cpu.describe() + ": " + evidence.get(), cpu);
        }
        return new Decision(KernelPath.REFERENCE, "oneDNN is not verified on " + cpu.describe() + " with libtorch "
                + libtorch + "; 'kinema doctor' checks it (under a minute) and enables it if it passes", cpu);
    }
}

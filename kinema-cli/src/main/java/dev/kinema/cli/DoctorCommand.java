package dev.kinema.cli;

import dev.kinema.engine.CpuInfo;
import dev.kinema.engine.EngineGuard;
import dev.kinema.engine.KernelPath;
import dev.kinema.engine.VerifiedCpus;
import dev.kinema.io.FileTrees;
import dev.kinema.nn.KernelCheck;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kinema doctor}: checks libtorch's kernels on this machine. Runs the kernel conformance check
 * (every convolution geometry of every registered model, forward and both gradients, against torch's
 * reference values) with oneDNN's kernels in a child JVM, so that a crash or a hang is reported
 * instead of killing the command. When they pass on a CPU Kinema had not verified, it records this
 * machine, and Kinema uses oneDNN here from then on.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check that libtorch's fast (oneDNN) kernels compute the right values on this CPU,",
            "and enable them for Kinema on this machine if they do."})
final class DoctorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--kernels", defaultValue = "onednn", paramLabel = "K",
            description = "Kernels to check: onednn or reference (default: ${DEFAULT-VALUE}).")
    String kernels;

    @Option(names = "--no-record", description = "Only report; do not record this machine as verified.")
    boolean noRecord;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "S",
            description = "Seconds before a hung check is stopped (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        KernelPath path = switch (kernels) {
            case "onednn" -> KernelPath.ONEDNN;
            case "reference" -> KernelPath.REFERENCE;
            default -> throw new IllegalArgumentException("--kernels " + kernels + ": expected onednn or reference");
        };
        EngineGuard.Decision now = EngineGuard.ensureApplied();
        out.println("CPU: " + CpuInfo.current().describe());
        out.println("now: " + now.describe());
        out.println("checking " + KernelCheck.goldens().size() + " convolution geometries with the " + path.setting()
                + " kernels in a child JVM...");
        out.flush();
        Path work = Files.createTempDirectory("kinema-doctor");
        KernelCheck.Report report = KernelCheck.runInChild(path, Duration.ofSeconds(timeoutSeconds), work);
        for (KernelCheck.Outcome o : report.wrong()) {
            out.printf("WRONG %s: %s (relative errors; tolerance %.0e)%n", o.geometry().line(),
                    String.join(", ", o.wrongTensors().stream().map(t -> String.format("%s off by %.3g", t,
                            o.errors().get(t))).toList()), KernelCheck.TOLERANCE);
        }
        out.println(report.summary());
        if (!report.wrong().isEmpty()) {
            out.println("wrong geometries by pass (y forward, dx backward-data, dw/db backward-weights): " + report.map());
        }
        if (!report.passed()) {
            out.println("result: " + path.setting() + " kernels are NOT right on this CPU"
                    + (path == KernelPath.ONEDNN ? "; Kinema keeps libtorch's reference kernels here." : "."));
            out.println("details: " + work);
            return 1;
        }
        FileTrees.deleteRecursively(work);   // kept above, when it failed, for the details it names
        double worst = report.outcomes().stream().mapToDouble(KernelCheck.Outcome::worstError).max().orElse(0);
        out.printf("result: %s kernels are right on this CPU (worst relative error %.1e)%n", path.setting(), worst);
        if (path == KernelPath.ONEDNN) {
            String libtorch = EngineGuard.libtorchVersion();
            String evidence = String.format("%s: %d of %d geometries right (worst %.1e), kinema doctor, %s",
                    CpuInfo.current().modelName(), report.outcomes().size(), report.expected(), worst, LocalDate.now());
            if (!noRecord && now.path() == KernelPath.REFERENCE) {
                VerifiedCpus.recordLocally(CpuInfo.current(), libtorch, evidence);
                out.println("recorded in " + VerifiedCpus.localFile() + ": Kinema uses oneDNN on this machine from now on.");
            }
            out.println("entry for Kinema's built-in list (kinema-core/src/main/resources/dev/kinema/engine/verified-cpus.tsv):");
            out.println(VerifiedCpus.line(CpuInfo.current(), libtorch, evidence));
        }
        return 0;
    }
}

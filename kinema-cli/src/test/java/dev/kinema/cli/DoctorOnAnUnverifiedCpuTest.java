package dev.kinema.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.CpuInfos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user of a CPU Kinema has not verified goes through, end to end in child JVMs that read a
 * Zen 5 /proc/cpuinfo: the reference kernels with one log line, then {@code kinema doctor}, then,
 * if oneDNN passed the check on this machine, oneDNN recorded and used; if it did not, nothing
 * recorded and the reference kernels kept.
 */
class DoctorOnAnUnverifiedCpuTest {
    @TempDir
    Path dir;

    @Test
    void doctorVerifiesTheMachineOrKeepsTheReferenceKernels() throws Exception {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), CpuInfos.ZEN5);
        Path cache = dir.resolve("cache");
        String first = kinema(cpuinfo, cache, "doctor");
        assertTrue(first.contains("WARN dev.kinema.engine.EngineGuard - Kinema runs libtorch's reference kernels, slower "
                + "but right on every CPU: oneDNN is not verified on AuthenticAMD family 26 model 2 (AMD EPYC 9B45;"), first);
        assertTrue(first.contains("now: kernels: reference (oneDNN is not verified"), first);
        Path recorded = cache.resolve("kinema/verified-cpus.tsv");
        String second = kinema(cpuinfo, cache, "doctor", "--kernels", "reference", "--no-record");
        if (first.contains("result: onednn kernels are right on this CPU")) {
            assertTrue(first.contains("recorded in " + recorded), first);
            assertTrue(Files.readString(recorded).startsWith("AuthenticAMD\t26\t2\t"), Files.readString(recorded));
            assertTrue(second.contains("now: kernels: onednn (oneDNN verified on AuthenticAMD family 26 model 2"), second);
            assertFalse(second.contains("WARN"), second);
        } else {
            assertTrue(first.contains("result: onednn kernels are NOT right on this CPU; Kinema keeps libtorch's reference"),
                    first);
            assertFalse(Files.exists(recorded));
            assertTrue(second.contains("now: kernels: reference (oneDNN is not verified"), second);
        }
    }

    /** Runs the CLI in a child JVM as if on the CPU described by {@code cpuinfo}; its whole output. */
    private String kinema(Path cpuinfo, Path cache, String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "-Dai.djl.offline=true",
                "-Dkinema.cpuinfo=" + cpuinfo, "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error",
                "-cp", System.getProperty("java.class.path"), Kinema.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("XDG_CACHE_HOME", cache.toString());
        pb.environment().remove("KINEMA_KERNELS");
        Process p = pb.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "kinema " + String.join(" ", args) + " did not finish");
        String out = Files.readString(dir.resolve("out.txt"));
        assertEquals(true, p.exitValue() == 0 || p.exitValue() == 1, "exit " + p.exitValue() + ":\n" + out);
        return out;
    }
}

package dev.kinema.testing;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A native crash names its test: a JVM started with the suite's crash flags (parent pom) runs a test
 * that crashes in native code, and the OnError hook must report the test's name and the hs_err
 * frame in native-crashes.txt (the same line goes to Maven's console).
 */
class NativeCrashReportTest {
    @TempDir
    Path dir;

    @Test
    void aCrashingTestIsNamedWithItsCrashFrame() throws Exception {
        // Surefire runs in the module's folder; the hook lives at the repository's root.
        Path script = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent()
                .resolve("tools/ci/report-native-crash.sh");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + dir.resolve("hs_err_pid%p.log"),
                "-XX:OnError=bash " + script + " %p " + dir, "-Dkinema.crashDir=" + dir,
                "-Dkinema.kernels=reference", "-Dai.djl.offline=true",
                "-cp", System.getProperty("java.class.path"), NativeCrashFixture.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the crashing JVM did not end");
        assertNotEquals(0, child.exitValue(), "the fixture did not crash: " + Files.readString(dir.resolve("child.log")));
        Path report = dir.resolve("native-crashes.txt");
        assertTrue(Files.isRegularFile(report), "no crash report; child output:\n" + Files.readString(dir.resolve("child.log")));
        String line = Files.readString(report);
        assertTrue(line.startsWith("NATIVE CRASH in dev.kinema.testing.NativeCrashFixture.writesToAddressZero"), line);
        assertTrue(line.contains("Unsafe_PutLong") || line.contains("libjvm.so"), "the hs_err frame is missing: " + line);
    }
}

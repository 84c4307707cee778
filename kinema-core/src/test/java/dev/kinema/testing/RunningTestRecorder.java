package dev.kinema.testing;

import dev.kinema.engine.EngineGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Registered for every test JVM (META-INF/services): applies Kinema's kernel choice before the first
 * test, as the CLI does before its first model, and records the test that is running in
 * {@code kinema.crashDir/running-test-PID.txt}, so that a native crash, which kills the JVM before
 * JUnit can report anything, is reported with the test's name by
 * {@code tools/ci/report-native-crash.sh} (the JVM's {@code -XX:OnError} hook, in the parent pom).
 */
public final class RunningTestRecorder implements TestExecutionListener {
    private Path file;

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        String dir = System.getProperty("kinema.crashDir");
        if (dir != null) {
            file = Path.of(dir, "running-test-" + ProcessHandle.current().pid() + ".txt");
        }
        EngineGuard.ensureApplied();
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (file == null || !test.isTest()) {
            return;
        }
        String name = test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(m -> m.getClassName() + "." + m.getMethodName() + " [" + test.getDisplayName() + "]")
                .orElse(test.getUniqueId());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, name);
        } catch (IOException e) {
            file = null;   // reporting a crash's test is a courtesy; never fail a test over it
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (file != null && test.isTest()) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file = null;
            }
        }
    }
}

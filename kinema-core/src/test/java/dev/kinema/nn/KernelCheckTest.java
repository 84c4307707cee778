package dev.kinema.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.engine.EngineGuard;
import dev.kinema.engine.KernelPath;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel conformance check, run as users get it: every convolution geometry of every registered
 * model, forward and both gradients, in a child JVM (a crash or hang fails this test with the
 * geometry and the hs_err frame instead of ending the suite), against torch 1.13's values with
 * oneDNN off. The reference kernels must pass on every CPU; the kernels this process chose must pass
 * too, which on a CPU of the verified list re-verifies that entry.
 */
class KernelCheckTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    @TempDir
    Path work;

    @Test
    void referenceKernelsMatchTorchOnEveryGeometry() throws Exception {
        assertPasses(KernelCheck.runInChild(KernelPath.REFERENCE, TIMEOUT, work));
    }

    @Test
    void theKernelsThisProcessChoseMatchTorchOnEveryGeometry() throws Exception {
        EngineGuard.Decision d = EngineGuard.ensureApplied();
        KernelCheck.Report report = KernelCheck.runInChild(d.path(), TIMEOUT, work);
        // On a CPU of the verified list a failure here means the entry is wrong: remove it.
        assertPasses(report, d.describe() + "\n");
    }

    @Test
    void signaturesCatchASmallErrorAnywhere() {
        float[] t = new float[1000];
        float[] r = dev.kinema.weights.DeterministicFill.uniform("r", t.length);
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) Math.sin(i);
        }
        KernelCheck.Signature golden = KernelCheck.Signature.of(t, r);
        assertEquals(0, KernelCheck.Signature.of(t.clone(), r).error(golden));
        float[] shifted = t.clone();
        for (int i = 0; i < 100; i++) {
            shifted[i] *= 1.01f;   // 1% off on a tenth of the tensor: far below the errors seen on bad CPUs
        }
        assertTrue(KernelCheck.Signature.of(shifted, r).error(golden) > KernelCheck.TOLERANCE);
        float[] nan = t.clone();
        nan[500] = Float.NaN;
        KernelCheck.Outcome o = new KernelCheck.Outcome(null,
                java.util.Map.of("y", KernelCheck.Signature.of(nan, r).error(golden)));
        assertFalse(o.right());
        assertEquals(java.util.List.of("y"), o.wrongTensors());
    }

    private static void assertPasses(KernelCheck.Report report) {
        assertPasses(report, "");
    }

    private static void assertPasses(KernelCheck.Report report, String prefix) {
        String wrong = report.wrong().stream().limit(10)
                .map(o -> o.geometry().line() + ": " + o.errors())
                .collect(Collectors.joining("\n"));
        assertTrue(report.passed(), prefix + report.summary() + "\n" + report.map() + "\n" + wrong);
    }
}

package dev.kinema.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kinema.testing.CpuInfos;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineGuardTest {
    @Test
    void readsTheFirstProcessorOfCpuinfo() {
        CpuInfo cpu = CpuInfo.parse(CpuInfos.ZEN5);
        assertEquals("AuthenticAMD", cpu.vendor());
        assertEquals(26, cpu.family());
        assertEquals(2, cpu.model());
        assertEquals("AMD EPYC 9B45", cpu.modelName());
        assertEquals("avx2 fma avx512f avx512bw avx512vl avx512_vnni avx512_bf16 avx_vnni", cpu.isa());
        assertTrue(cpu.describe().startsWith("AuthenticAMD family 26 model 2 (AMD EPYC 9B45; avx2"), cpu.describe());
    }

    @Test
    void anUnlistedCpuTakesTheReferenceKernelsAndSaysWhy() {
        CpuInfo zen5 = CpuInfo.parse(CpuInfos.ZEN5);
        EngineGuard.Decision d = EngineGuard.decide(Optional.empty(), zen5, "2.7.1", VerifiedCpus.parse(""));
        assertEquals(KernelPath.REFERENCE, d.path());
        assertTrue(d.reason().startsWith("oneDNN is not verified on AuthenticAMD family 26 model 2"), d.reason());
        assertTrue(d.reason().contains("kinema doctor"), d.reason());
        CpuInfo noAvx2 = new CpuInfo("GenuineIntel", 6, 85, "old", Set.of("sse4_2", "avx"));
        VerifiedCpus listsIt = VerifiedCpus.parse(VerifiedCpus.line(noAvx2, "2.7.1", "x"));
        assertEquals(KernelPath.REFERENCE, EngineGuard.decide(Optional.empty(), noAvx2, "2.7.1", listsIt).path());
    }

    @Test
    void aListedCpuTakesOneDnnOnlyWithTheLibtorchItWasVerifiedWith() {
        CpuInfo zen5 = CpuInfo.parse(CpuInfos.ZEN5);
        VerifiedCpus list = VerifiedCpus.parse("# header\n" + VerifiedCpus.line(zen5, "2.7.1", "checked 2026-12-02") + "\n");
        assertEquals(Optional.of("checked 2026-12-02"), list.find(zen5, "2.7.1"));
        assertEquals(Optional.empty(), list.find(zen5, "2.5.1"));
        CpuInfo otherModel = new CpuInfo("AuthenticAMD", 26, 17, "x", zen5.flags());
        assertEquals(Optional.empty(), list.find(otherModel, "2.7.1"));
        assertEquals(KernelPath.ONEDNN, EngineGuard.decide(Optional.empty(), zen5, "2.7.1", list).path());
        assertEquals(KernelPath.REFERENCE, EngineGuard.decide(Optional.empty(), zen5, "2.8.0", list).path());
    }

    @Test
    void anExplicitSettingWinsAndABadOneIsNamed() {
        CpuInfo zen5 = CpuInfo.parse(CpuInfos.ZEN5);
        assertEquals(KernelPath.ONEDNN,
                EngineGuard.decide(Optional.of(KernelPath.ONEDNN), zen5, "2.7.1", VerifiedCpus.parse("")).path());
        String before = System.getProperty(EngineGuard.PROPERTY);
        try {
            System.setProperty(EngineGuard.PROPERTY, "fastest");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, EngineGuard::setting);
            assertEquals("-Dkinema.kernels=fastest: expected auto, onednn or reference", e.getMessage());
            System.setProperty(EngineGuard.PROPERTY, "Reference");
            assertEquals(Optional.of(KernelPath.REFERENCE), EngineGuard.setting());
        } finally {
            if (before == null) {
                System.clearProperty(EngineGuard.PROPERTY);
            } else {
                System.setProperty(EngineGuard.PROPERTY, before);
            }
        }
    }

    @Test
    void libtorchRunsWhatWasDecided() {
        EngineGuard.Decision d = EngineGuard.ensureApplied();
        assertEquals(d.path() == KernelPath.ONEDNN, EngineGuard.onednnEnabled(), d.describe());
        assertEquals(d, EngineGuard.ensureApplied(), "decided once per process");
    }
}

package dev.kinema.testing;

/** /proc/cpuinfo texts of processors the tests pretend to run on. */
public final class CpuInfos {
    /** The first block of the AMD Zen 5 machine of the CPU issue (flags shortened), and a second core's start. */
    public static final String ZEN5 = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 26
            model\t\t: 2
            model name\t: AMD EPYC 9B45
            flags\t\t: fpu sse sse2 avx avx2 fma avx512f avx512bw avx512vl avx512_vnni avx512_bf16 avx_vnni avx512_vp2intersect

            processor\t: 1
            vendor_id\t: SomethingElse
            """;

    private CpuInfos() {}
}

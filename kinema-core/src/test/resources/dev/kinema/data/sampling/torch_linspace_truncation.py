"""Regenerates torch_linspace_truncation.txt, the golden data of TemporalIndexTest.

PyTorchVideo's uniform_temporal_subsample takes torch.linspace(0, t - 1, n) (float32), clamps it to
[0, t - 1] and truncates with .long(). This script records, for every t in 1..600 and n in 1..69,
the positions where that result differs from the exact floor(i * (t - 1) / (n - 1)), once for each
of PyTorch's x86-64 CPU kernels. Run it with any PyTorch on an x86-64 machine:

    python3 torch_linspace_truncation.py > torch_linspace_truncation.txt
"""
import os
import subprocess
import sys

T_MAX, N_MAX = 600, 69


def rows():
    import torch
    for t in range(1, T_MAX + 1):
        for n in range(1, N_MAX + 1):
            got = torch.clamp(torch.linspace(0, t - 1, n), 0, t - 1).long().tolist()
            exact = [0] * n if n == 1 else [i * (t - 1) // (n - 1) for i in range(n)]
            diffs = [f"{i}:{g}" for i, (g, e) in enumerate(zip(got, exact)) if g != e]
            if diffs:
                yield f"{t} {n} {' '.join(diffs)}"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--kernel":
        for line in rows():
            print(line)
        sys.exit(0)
    import torch
    print(f"# torch {torch.__version__}; t in 1..{T_MAX}, n in 1..{N_MAX}; "
          "line: kernel t n then position:value where torch differs from floor(i*(t-1)/(n-1))")
    for kernel in ("avx2", "default"):
        env = dict(os.environ, ATEN_CPU_CAPABILITY=kernel)
        out = subprocess.run([sys.executable, __file__, "--kernel"], env=env, check=True,
                             capture_output=True, text=True).stdout
        for line in out.splitlines():
            print(f"{kernel} {line}")

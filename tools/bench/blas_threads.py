"""Bounds OpenBLAS's threads by the script's --threads, before torch loads OpenBLAS.

Debian's torch 1.13 takes its matrix products from OpenBLAS (BLAS_INFO=generic, the openblas-pthread
alternative), whose own thread pool torch.set_num_threads does not bound: at --threads 1 a 2048²
product ran on two threads (measured on 2026-12-03, AMD EPYC Zen 4, 2 cores), so the "one thread"
torch side of a side-by-side had two cores for its GEMMs. Import this module first, before torch.
"""
import os
import sys


def threads_argument(argv):
    """The value of --threads N or --threads=N in argv, or None."""
    for i, arg in enumerate(argv):
        if arg == "--threads" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return None


_threads = threads_argument(sys.argv[1:])
if _threads is not None and _threads.isdigit() and int(_threads) > 0:
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(variable, _threads)

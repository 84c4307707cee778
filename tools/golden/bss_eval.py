#!/usr/bin/python3
"""Goldens for dev.kinema.eval.separation.BssEval against mir_eval 0.7's bss_eval_sources
(Debian's python3-mir-eval), on small signals: decaying noise bursts and a chirp as sources,
estimates made of filtered sources, leaked interference and added noise, given out of order so that
the permutation search matters.

  /usr/bin/python3 tools/golden/bss_eval.py

writes kinema-core/src/test/resources/golden/separation/<case>-{references,estimates,mixture}.npy
(float32, the values both sides use) and cases.json (SDR, SIR, SAR, permutation and NSDR),
read by BssEvalGoldenTest.
"""
import json
import os

import mir_eval
import numpy as np
from mir_eval.separation import bss_eval_sources

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kinema-core", "src", "test",
                   "resources", "golden", "separation")
L = 2000


def sources(rng, n):
    t = np.arange(L) / 8000.0
    out = []
    for k in range(n):
        burst = rng.standard_normal(L) * np.exp(-((t - 0.05 * (k + 1)) ** 2) / 0.002)
        chirp = np.sin(2 * np.pi * (200 + 300 * k + 2000 * t) * t) * (0.3 + 0.2 * rng.random())
        out.append(burst * 0.5 + chirp + 0.05 * rng.standard_normal(L))
    return np.asarray(out)


def estimates(rng, refs, leak, noise, order):
    n = len(refs)
    est = []
    for j in range(n):
        own = np.convolve(refs[j], [0.9, 0.25, -0.1])[:L]  # a short filter: target, not artifact
        others = sum(refs[i] for i in range(n) if i != j)
        est.append(own + leak * others + noise * rng.standard_normal(L))
    return np.asarray(est)[list(order)]


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(17)
    cases = []
    for name, n, leak, noise, order in [("two-clean", 2, 0.05, 0.01, (0, 1)),
                                        ("two-swapped-leaky", 2, 0.4, 0.1, (1, 0)),
                                        ("three-permuted", 3, 0.2, 0.05, (2, 0, 1))]:
        refs = sources(rng, n).astype(np.float32)
        est = estimates(rng, refs.astype(np.float64), leak, noise, order).astype(np.float32)
        mix = refs.astype(np.float64).sum(axis=0).astype(np.float32)
        for part, x in (("references", refs), ("estimates", est), ("mixture", mix)):
            np.save(os.path.join(OUT, f"{name}-{part}.npy"), x)
        r64, e64, m64 = refs.astype(np.float64), est.astype(np.float64), mix.astype(np.float64)
        sdr, sir, sar, perm = bss_eval_sources(r64, e64, True)
        sdr_mix = bss_eval_sources(r64, np.asarray([m64] * n), False)[0]
        cases.append({"name": name, "sdr": sdr.tolist(), "sir": sir.tolist(), "sar": sar.tolist(),
                      "permutation": perm.tolist(), "mixture_sdr": sdr_mix.tolist(), "nsdr": (sdr - sdr_mix).tolist()})
        print(name, np.round(sdr, 2), np.round(sir, 2), np.round(sar, 2), perm)
    with open(os.path.join(OUT, "cases.json"), "w") as f:
        json.dump({"mir_eval": mir_eval.__version__, "cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

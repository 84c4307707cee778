#!/usr/bin/python3
"""Golden cross-entropy values with label smoothing and mixed targets, from torch 1.13.
ClassificationTaskTest compares Kinema's ClassificationTask with this file (no Python needed).

    /usr/bin/python3 tools/golden/label_smoothing.py kinema-core/src/test/resources/golden/tasks

Inputs are formulas the Java test repeats: N = 6 clips of K = 5 classes, logits[i] = 3 sin(0.37 i)
over the flat index i, labels[n] = (3 n + 1) mod K.

- "smoothing": torch.nn.CrossEntropyLoss(label_smoothing=eps) for each eps;
- "mixed": timm's mixup_target (one-hot with on = 1 - eps + eps / K, off = eps / K, mixed with the
  reversed batch by lam) and SoftTargetCrossEntropy (mean over clips of sum(-t * log_softmax)),
  for each (eps, lam); written out here because timm is not installed.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

N, K = 6, 5


def inputs():
    logits = 3 * torch.sin(torch.arange(N * K, dtype=torch.float32) * 0.37).reshape(N, K)
    labels = torch.tensor([(3 * n + 1) % K for n in range(N)])
    return logits, labels


def mixup_target(labels, eps, lam):
    off = eps / K
    on = 1 - eps + off
    y1 = torch.full((N, K), off).scatter_(1, labels.view(-1, 1), on)
    y2 = torch.full((N, K), off).scatter_(1, labels.flip(0).view(-1, 1), on)
    return y1 * lam + y2 * (1 - lam)


def main():
    out_dir = sys.argv[1]
    logits, labels = inputs()
    smoothing = [{"eps": eps, "loss": torch.nn.CrossEntropyLoss(label_smoothing=eps)(logits, labels).item()}
                 for eps in (0.0, 0.1, 0.25)]
    mixed = []
    for eps, lam in ((0.0, 0.7), (0.1, 0.7), (0.1, 0.35)):
        target = mixup_target(labels, eps, lam)
        loss = torch.sum(-target * F.log_softmax(logits, dim=-1), dim=-1).mean().item()
        mixed.append({"eps": eps, "lambda": lam, "loss": loss})
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "cross_entropy.json"), "w") as f:
        json.dump({"torch": torch.__version__, "n": N, "k": K, "smoothing": smoothing, "mixed": mixed}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()

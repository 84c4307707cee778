#!/usr/bin/python3
"""Golden parameter names and shapes of torchvision's resnet18 and resnet50 (1000 classes), the
names tsm_r18 and tsm_r50 must give (ResNet2dNamesTest reads the committed files; no Python needed).

    /usr/bin/python3 tools/golden/resnet2d_names.py kinema-core/src/test/resources/dev/kinema/models

Writes resnet18_state_dict.txt and resnet50_state_dict.txt: one "name dim0xdim1x..." line per
state_dict entry, in state_dict order, without BatchNorm's num_batches_tracked counters (DJL keeps
no such counter), and the total of trainable parameters as a comment on the first line.
"""
import os
import sys

import torchvision


def main():
    out_dir = sys.argv[1]
    for arch in ("resnet18", "resnet50"):
        model = getattr(torchvision.models, arch)(num_classes=1000)
        trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        lines = ["# torchvision %s %s: %d trainable parameters" % (torchvision.__version__, arch, trainable)]
        for name, tensor in model.state_dict().items():
            if name.endswith("num_batches_tracked"):
                continue
            lines.append("%s %s" % (name, "x".join(str(d) for d in tensor.shape)))
        path = os.path.join(out_dir, arch + "_state_dict.txt")
        with open(path + ".tmp", "w") as f:
            f.write("\n".join(lines) + "\n")
        os.replace(path + ".tmp", path)
        print(path, len(lines) - 1, "entries,", trainable, "parameters")


if __name__ == "__main__":
    main()

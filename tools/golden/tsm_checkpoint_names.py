#!/usr/bin/python3
"""State-dict names and shapes of real TSM checkpoints, for the tsm and mmaction2-2d name mappings
(NameMappingTest reads the committed files; no Python needed).

    /usr/bin/python3 tools/golden/tsm_checkpoint_names.py kinema-core/src/test/resources/golden/checkpoint-names

Neither library is installed here, so each module tree is rebuilt from torchvision's ResNet with
the attribute names the libraries' sources give (facts only, no code of theirs):

* mit-han-lab/temporal-shift-module (ops/models.py, ops/temporal_shift.py): class TSN keeps the
  torchvision ResNet as `base_model`; with shift_place 'blockres' every block's `conv1` becomes
  TemporalShift(conv1), which keeps the convolution as `.net`; with 'block' the whole block is
  wrapped; with dropout > 0 `base_model.fc` becomes a Dropout and the classifier is `new_fc`;
  main.py trains under nn.DataParallel, so every name starts with `module.`.
* open-mmlab/mmaction2 (backbones/resnet.py, resnet_tsm.py, heads/tsm_head.py): Recognizer2D has
  `backbone` and `cls_head`; the backbone's stem is a ConvModule `conv1` (`conv`, `bn`), every block
  conv a ConvModule `convK`, the projection a ConvModule `downsample`; ResNetTSM 'blockres' wraps
  `convK.conv` of conv1 as TemporalShift (`.net`); TSMHead's classifier is `fc_cls`.

Writes one "name dim0xdim1x..." line per state_dict entry, in state_dict order, with BatchNorm's
num_batches_tracked counters (real checkpoints have them; the loader ignores them).
"""
import os
import sys

import torch.nn as nn
import torchvision

CLASSES = 400   # Kinetics-400, as the released checkpoints


class Wrapped(nn.Module):
    """A module kept under `.net`, as both libraries' TemporalShift keep the module they shift."""

    def __init__(self, net):
        super().__init__()
        self.net = net


class ConvModule(nn.Module):
    """mmcv's ConvModule as far as names go: `conv` then `bn`."""

    def __init__(self, conv, bn):
        super().__init__()
        self.conv = conv
        self.bn = bn


def mit_han_lab(arch, place):
    base = getattr(torchvision.models, arch)()
    for stage in (base.layer1, base.layer2, base.layer3, base.layer4):
        for i, block in enumerate(stage):
            if place == "blockres":
                block.conv1 = Wrapped(block.conv1)
            else:
                stage[i] = Wrapped(block)
    features = base.fc.in_features
    base.fc = nn.Dropout(0.5)
    tsn = nn.Module()
    tsn.base_model = base
    tsn.new_fc = nn.Linear(features, CLASSES)
    return nn.DataParallel(tsn)


def mmaction2(arch):
    tv = getattr(torchvision.models, arch)()
    backbone = nn.Module()
    backbone.conv1 = ConvModule(tv.conv1, tv.bn1)
    for s in range(1, 5):
        stage = getattr(tv, "layer%d" % s)
        blocks = []
        for block in stage:
            b = nn.Module()
            convs = 3 if hasattr(block, "conv3") else 2
            for k in range(1, convs + 1):
                setattr(b, "conv%d" % k, ConvModule(getattr(block, "conv%d" % k), getattr(block, "bn%d" % k)))
            b.conv1.conv = Wrapped(b.conv1.conv)   # ResNetTSM, shift_place 'blockres'
            if block.downsample is not None:
                b.downsample = ConvModule(block.downsample[0], block.downsample[1])
            blocks.append(b)
        setattr(backbone, "layer%d" % s, nn.Sequential(*blocks))
    head = nn.Module()
    head.fc_cls = nn.Linear(tv.fc.in_features, CLASSES)
    recognizer = nn.Module()
    recognizer.backbone = backbone
    recognizer.cls_head = head
    return recognizer


def write(out_dir, name, model, source):
    lines = ["# %s (torchvision %s module tree)" % (source, torchvision.__version__)]
    for key, tensor in model.state_dict().items():
        lines.append("%s %s" % (key, "x".join(str(d) for d in tensor.shape)))
    path = os.path.join(out_dir, name)
    with open(path + ".tmp", "w") as f:
        f.write("\n".join(lines) + "\n")
    os.replace(path + ".tmp", path)
    print(path, len(lines) - 1, "entries")


def main():
    out_dir = sys.argv[1]
    for arch, short in (("resnet18", "r18"), ("resnet50", "r50")):
        write(out_dir, "tsm_%s_mit_han_lab_blockres.txt" % short, mit_han_lab(arch, "blockres"),
              "mit-han-lab/temporal-shift-module TSN %s, is_shift, shift_place blockres, DataParallel" % arch)
        write(out_dir, "tsm_%s_mmaction2.txt" % short, mmaction2(arch),
              "open-mmlab/mmaction2 Recognizer2D, ResNetTSM depth %s blockres, TSMHead" % arch[6:])
    write(out_dir, "tsm_r50_mit_han_lab_block.txt", mit_han_lab("resnet50", "block"),
          "mit-han-lab/temporal-shift-module TSN resnet50, is_shift, shift_place block, DataParallel")


if __name__ == "__main__":
    main()

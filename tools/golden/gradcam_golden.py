#!/usr/bin/python3
"""Golden Grad-CAM maps from torch 1.13, with mmaction2's arithmetic (mmaction/utils/gradcam_utils.py,
the 3D branch) copied below; GradCamGoldenTest compares Kinema's explain.GradCam with them.

    /usr/bin/python3 tools/golden/gradcam_golden.py kinema-core/src/test/resources/golden/gradcam/gradcam.json

The model: conv1 Conv3d(3->4, 3x3x3, pad 1) + ReLU, conv2 Conv3d(4->6, 3x3x3, stride 2, pad 1) + ReLU,
global average pool, Linear(6->3); weights from torch.manual_seed(0), in eval mode. The clip is
1x3x4x8x8 from the same generator. Cases: layer conv2 (T, H and W all upsampled 2x) for the top
class and for class 1, and layer conv1 (no resize) for class 0. The score is the class's logit.
The JSON holds the state_dict in order (name, shape, values), the input and per case the class,
its score, the layer's shape and the normalised map (T x H x W, row-major).
"""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv3d(3, 4, 3, padding=1)
        self.conv2 = nn.Conv3d(4, 6, 3, stride=2, padding=1)
        self.fc = nn.Linear(6, 3)

    def forward(self, x, keep):
        a1 = F.relu(self.conv1(x))
        a2 = F.relu(self.conv2(a1))
        keep["conv1"], keep["conv2"] = a1, a2
        for a in (a1, a2):
            a.retain_grad()
        return self.fc(a2.mean(dim=(2, 3, 4)))


def mmaction_map(activations, gradients, img_tshape, img_hshape, img_wshape):
    """mmaction2's GradCAM._calculate_localization_map after the backward pass (3D recognisers)."""
    b, c, tg, _, _ = gradients.size()
    activations = activations.permute(0, 2, 1, 3, 4)
    gradients = gradients.permute(0, 2, 1, 3, 4)
    weights = torch.mean(gradients.reshape(b, tg, c, -1), dim=3)
    weights = weights.view(b, tg, c, 1, 1)
    activations = activations.reshape([b, tg, c] + list(activations.size()[-2:]))
    localization_map = torch.sum(weights * activations, dim=2, keepdim=True)
    localization_map = F.relu(localization_map)
    localization_map = localization_map.permute(0, 2, 1, 3, 4)
    localization_map = F.interpolate(localization_map, size=(img_tshape, img_hshape, img_wshape),
                                     mode="trilinear", align_corners=False)
    lo = torch.min(localization_map.view(b, -1), dim=-1, keepdim=True)[0]
    hi = torch.max(localization_map.view(b, -1), dim=-1, keepdim=True)[0]
    lo, hi = lo[:, :, None, None, None], hi[:, :, None, None, None]
    return ((localization_map - lo) / (hi - lo + 1e-6)).data


def main(out):
    torch.manual_seed(0)
    model = Tiny().eval()
    x = torch.randn(1, 3, 4, 8, 8)
    cases = []
    for layer, target in (("conv2", None), ("conv2", 1), ("conv1", 0)):
        keep = {}
        logits = model(x, keep)
        k = int(logits.argmax()) if target is None else target
        model.zero_grad()
        logits[0, k].backward()
        a = keep[layer]
        cam = mmaction_map(a, a.grad, 4, 8, 8)
        cases.append({"layer": layer, "target": target, "class": k, "score": float(logits[0, k]),
                      "layer_shape": list(a.shape[1:]), "map": cam.flatten().tolist()})
    golden = {
        "state_dict": [[n, list(p.shape), p.detach().flatten().tolist()] for n, p in model.state_dict().items()],
        "input": x.flatten().tolist(),
        "input_shape": list(x.shape),
        "cases": cases,
    }
    with open(out, "w") as f:
        json.dump(golden, f)


if __name__ == "__main__":
    main(sys.argv[1])

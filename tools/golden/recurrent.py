#!/usr/bin/python3
"""Golden outputs and gradients of the recurrent cells and the non-local block, from torch 1.13.
RecurrentGoldenTest compares Kinema's nn.Recurrent, nn.ConvRecurrentCell and nn.NonLocalBlock with
these files (no Python needed).

    /usr/bin/python3 tools/golden/recurrent.py kinema-core/src/test/resources/golden/recurrent

For every case NAME it writes NAME.safetensors (the module's state_dict, the names Kinema loads) and
NAME_io.safetensors: "input", "output", "grad_output" (the upstream gradient) and "grad.input" plus
"grad.<parameter>" for every parameter: the gradients of sum(output * grad_output).

- lstm, gru: torch.nn.LSTM / torch.nn.GRU, 2 layers, batch_first, input 2x6x5, hidden 4.
- conv_lstm, conv_gru: the reference cells below (Shi et al. 2015; Ballas et al. 2016), two stacked
  layers as nn.Sequential, on N x C x T x H x W = 2x3x5x6x6, hidden 4 channels, 3x3 kernels.
- non_local: the embedded-Gaussian block as PyTorchVideo's NonLocal (Wang et al. 2018) with 1x2x2
  max-pooling of keys and values, on 2x8x3x4x4, inner width 4, in eval mode with random BatchNorm
  statistics and a non-zero BatchNorm weight (a zero one, the block's initial state, would hide
  every gradient but the norm's).
"""
import os
import sys

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weights_e2e import write_safetensors  # noqa: E402


class ConvRecurrentCell(nn.Module):
    """nn.LSTM / nn.GRU with every matrix product a same-padded 2D convolution, PyTorch's gate order
    (LSTM i, f, g, o; GRU r, z, n) and equations, over a whole N x C x T x H x W sequence, starting
    from a zero state; returns every step's hidden state, N x hidden x T x H x W."""

    def __init__(self, kind, cin, hidden, k):
        super().__init__()
        gates = 4 if kind == "lstm" else 3
        self.kind, self.hidden = kind, hidden
        self.conv_ih = nn.Conv2d(cin, gates * hidden, k, padding=k // 2)
        self.conv_hh = nn.Conv2d(hidden, gates * hidden, k, padding=k // 2)

    def forward(self, x):
        n, c, t, hh, ww = x.shape
        xi = self.conv_ih(x.transpose(1, 2).reshape(n * t, c, hh, ww)).reshape(n, t, -1, hh, ww)
        h = x.new_zeros(n, self.hidden, hh, ww)
        cell = x.new_zeros(n, self.hidden, hh, ww)
        out = []
        for step in range(t):
            gi, gh = xi[:, step], self.conv_hh(h)
            if self.kind == "lstm":
                i, f, g, o = (gi + gh).chunk(4, 1)
                cell = torch.sigmoid(f) * cell + torch.sigmoid(i) * torch.tanh(g)
                h = torch.sigmoid(o) * torch.tanh(cell)
            else:
                ir, iz, in_ = gi.chunk(3, 1)
                hr, hz, hn = gh.chunk(3, 1)
                r, z = torch.sigmoid(ir + hr), torch.sigmoid(iz + hz)
                h = (1 - z) * torch.tanh(in_ + r * hn) + z * h
            out.append(h)
        return torch.stack(out, 2)


class NonLocal(nn.Module):
    """PyTorchVideo's NonLocal (pytorchvideo/layers/nonlocal_net.py), instantiation "softmax"."""

    def __init__(self, dim, dim_inner, pool):
        super().__init__()
        self.dim_inner = dim_inner
        self.conv_theta = nn.Conv3d(dim, dim_inner, 1)
        self.conv_phi = nn.Conv3d(dim, dim_inner, 1)
        self.conv_g = nn.Conv3d(dim, dim_inner, 1)
        self.conv_out = nn.Conv3d(dim_inner, dim, 1)
        self.norm = nn.BatchNorm3d(dim)
        self.pool = nn.MaxPool3d(pool, pool) if pool else None

    def forward(self, x):
        n, c, t, h, w = x.shape
        theta = self.conv_theta(x)
        pooled = self.pool(x) if self.pool is not None else x
        phi, g = self.conv_phi(pooled), self.conv_g(pooled)
        theta, phi, g = (a.reshape(n, self.dim_inner, -1) for a in (theta, phi, g))
        attention = torch.einsum("nct,ncp->ntp", theta, phi) * self.dim_inner ** -0.5
        attention = attention.softmax(dim=2)
        y = torch.einsum("ntg,ncg->nct", attention, g).reshape(n, self.dim_inner, t, h, w)
        return x + self.norm(self.conv_out(y))


def run(module, x):
    x = x.clone().requires_grad_(True)
    y = module(x)
    y = y[0] if isinstance(y, tuple) else y
    dy = torch.randn_like(y)
    (y * dy).sum().backward()
    io = {"input": x, "output": y, "grad_output": dy, "grad.input": x.grad}
    for name, p in module.named_parameters():
        io["grad." + name] = p.grad
    return io


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1231)
    cases = {
        "lstm": (nn.LSTM(5, 4, num_layers=2, batch_first=True), torch.randn(2, 6, 5)),
        "gru": (nn.GRU(5, 4, num_layers=2, batch_first=True), torch.randn(2, 6, 5)),
        "conv_lstm": (nn.Sequential(ConvRecurrentCell("lstm", 3, 4, 3), ConvRecurrentCell("lstm", 4, 4, 3)),
                      torch.randn(2, 3, 5, 6, 6)),
        "conv_gru": (nn.Sequential(ConvRecurrentCell("gru", 3, 4, 3), ConvRecurrentCell("gru", 4, 4, 3)),
                     torch.randn(2, 3, 5, 6, 6)),
    }
    non_local = NonLocal(8, 4, (1, 2, 2))
    with torch.no_grad():
        non_local.norm.weight.uniform_(0.5, 1.5)
        non_local.norm.bias.uniform_(-0.5, 0.5)
        non_local.norm.running_mean.uniform_(-0.2, 0.2)
        non_local.norm.running_var.uniform_(0.5, 1.5)
    cases["non_local"] = (non_local.eval(), torch.randn(2, 8, 3, 4, 4))
    meta = {"torch": torch.__version__, "script": "tools/golden/recurrent.py"}
    for name, (module, x) in cases.items():
        state = {k: v for k, v in module.state_dict().items() if not k.endswith("num_batches_tracked")}
        write_safetensors(os.path.join(out, name + ".safetensors"), state, meta)
        write_safetensors(os.path.join(out, name + "_io.safetensors"), run(module, x), meta)


if __name__ == "__main__":
    main()

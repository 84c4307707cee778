#!/usr/bin/python3
"""Goldens for Kinema's VideoMAE (dev.kinema.models.videomae): a tiny VideoMAE written here in plain
torch after the reference implementation (MCG-NJU/VideoMAE, modeling_pretrain.py and
modeling_finetune.py: Attention with q_bias/v_bias, Block, PatchEmbed, get_sinusoid_encoding_table,
PretrainVisionTransformer, VisionTransformer with mean pooling), its parameters drawn from a seeded
generator (q and v biases non-zero, so they are exercised), and a deterministic clip and tube mask.

  /usr/bin/python3 tools/golden/videomae_golden.py

writes, under kinema-core/src/test/resources/golden/videomae/:
  encoder.safetensors   the pretraining encoder's state_dict with "encoder." stripped (what fine-tuning loads)
  pretrain.safetensors  the whole pretraining network's state_dict
  finetune.safetensors  the mean-pooling classifier's state_dict (encoder weights, fc_norm, head)
  io.safetensors        clip, visible/masked token numbers, encoder output on the visible tokens,
                        decoder predictions, normalised-pixel targets, classifier logits
read by VideoMaeGoldenTest.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weights_e2e import write_safetensors  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "kinema-core", "src", "test", "resources",
                   "golden", "videomae")
N, C, T, H, W = 2, 3, 4, 16, 16
TUBELET, PATCH = 2, 8
DIM, DEPTH, HEADS, MLP = 32, 2, 4, 4.0
DEC_DIM, DEC_DEPTH, DEC_HEADS = 16, 1, 2
CLASSES = 5


def get_sinusoid_encoding_table(n_position, d_hid):
    def get_position_angle_vec(position):
        return [position / np.power(10000, 2 * (hid_j // 2) / d_hid) for hid_j in range(d_hid)]

    table = np.array([get_position_angle_vec(p) for p in range(n_position)])
    table[:, 0::2] = np.sin(table[:, 0::2])
    table[:, 1::2] = np.cos(table[:, 1::2])
    return torch.FloatTensor(table).unsqueeze(0)


class Mlp(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class Attention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.scale = (dim // heads) ** -0.5
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim))
        self.v_bias = nn.Parameter(torch.zeros(dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        bias = torch.cat((self.q_bias, torch.zeros_like(self.v_bias, requires_grad=False), self.v_bias))
        qkv = F.linear(input=x, weight=self.qkv.weight, bias=bias)
        q, k, v = qkv.reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn = ((q * self.scale) @ k.transpose(-2, -1)).softmax(dim=-1)
        return self.proj((attn @ v).transpose(1, 2).reshape(b, n, -1))


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * MLP))

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class PatchEmbed(nn.Module):
    def __init__(self):
        super().__init__()
        self.proj = nn.Conv3d(C, DIM, kernel_size=(TUBELET, PATCH, PATCH), stride=(TUBELET, PATCH, PATCH))

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class Encoder(nn.Module):
    """PretrainVisionTransformerEncoder (head: Identity, no parameters)."""

    def __init__(self):
        super().__init__()
        self.patch_embed = PatchEmbed()
        self.pos_embed = get_sinusoid_encoding_table((T // TUBELET) * (H // PATCH) * (W // PATCH), DIM)
        self.blocks = nn.ModuleList([Block(DIM, HEADS) for _ in range(DEPTH)])
        self.norm = nn.LayerNorm(DIM, eps=1e-6)

    def forward(self, x, mask):
        x = self.patch_embed(x)
        x = x + self.pos_embed.type_as(x).clone().detach()
        b, _, c = x.shape
        x = x[~mask].reshape(b, -1, c)
        for blk in self.blocks:
            x = blk(x)
        return self.norm(x)


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([Block(DEC_DIM, DEC_HEADS) for _ in range(DEC_DEPTH)])
        self.norm = nn.LayerNorm(DEC_DIM, eps=1e-6)
        self.head = nn.Linear(DEC_DIM, C * TUBELET * PATCH * PATCH)

    def forward(self, x, return_token_num):
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.norm(x[:, -return_token_num:]))


class Pretrain(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.encoder_to_decoder = nn.Linear(DIM, DEC_DIM, bias=False)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, DEC_DIM))
        self.pos_embed = get_sinusoid_encoding_table(self.encoder.pos_embed.shape[1], DEC_DIM)
        self.decoder = Decoder()

    def forward(self, x, mask):
        x_vis = self.encoder_to_decoder(self.encoder(x, mask))
        b, n, c = x_vis.shape
        pos = self.pos_embed.expand(b, -1, -1).type_as(x).clone().detach()
        pos_vis = pos[~mask].reshape(b, -1, c)
        pos_mask = pos[mask].reshape(b, -1, c)
        x_full = torch.cat([x_vis + pos_vis, self.mask_token + pos_mask], dim=1)
        return self.decoder(x_full, pos_mask.shape[1])


class FineTune(nn.Module):
    """VisionTransformer with use_mean_pooling: norm is Identity, fc_norm after the mean, head."""

    def __init__(self):
        super().__init__()
        self.patch_embed = PatchEmbed()
        self.pos_embed = get_sinusoid_encoding_table((T // TUBELET) * (H // PATCH) * (W // PATCH), DIM)
        self.blocks = nn.ModuleList([Block(DIM, HEADS) for _ in range(DEPTH)])
        self.fc_norm = nn.LayerNorm(DIM, eps=1e-6)
        self.head = nn.Linear(DIM, CLASSES)

    def forward(self, x):
        x = self.patch_embed(x)
        x = x + self.pos_embed.type_as(x).clone().detach()
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.fc_norm(x.mean(1)))


def normalised_targets(video):
    """VideoMAE's normlize_target, with reshape/permute for einops' rearrange."""
    b, c, t, h, w = video.shape
    x = video.reshape(b, c, t // TUBELET, TUBELET, h // PATCH, PATCH, w // PATCH, PATCH)
    x = x.permute(0, 2, 4, 6, 3, 5, 7, 1).reshape(b, -1, TUBELET * PATCH * PATCH, c)
    x = (x - x.mean(dim=-2, keepdim=True)) / (x.var(dim=-2, unbiased=True, keepdim=True).sqrt() + 1e-6)
    return x.reshape(b, x.shape[1], -1)


def randomise(model, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            scale = 0.5 if p.dim() == 1 else 0.3 / max(1, p.shape[-1]) ** 0.5 * 2
            p.copy_(torch.randn(p.shape, generator=g) * scale + (1.0 if name.endswith("norm1.weight")
                    or name.endswith("norm2.weight") or name.endswith("norm.weight") else 0.0))


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(0)
    pretrain = Pretrain().eval()
    randomise(pretrain, 1)
    finetune = FineTune().eval()
    randomise(finetune, 2)
    g = torch.Generator().manual_seed(3)
    clip = torch.randn(N, C, T, H, W, generator=g)
    spatial = (H // PATCH) * (W // PATCH)
    frames = T // TUBELET
    # tube masks: 2 of 4 positions per frame hidden, the same in every frame, different per clip
    per_frame = [torch.tensor([True, False, True, False]), torch.tensor([False, True, True, False])]
    mask = torch.stack([m.repeat(frames) for m in per_frame])
    tokens = torch.arange(frames * spatial)
    visible = torch.stack([tokens[~m] for m in mask])
    masked = torch.stack([tokens[m] for m in mask])
    with torch.no_grad():
        encoded = pretrain.encoder(clip, mask)
        predictions = pretrain(clip, mask)
        logits = finetune(clip)
    targets = normalised_targets(clip)
    encoder_state = {k[len("encoder."):]: v for k, v in pretrain.state_dict().items() if k.startswith("encoder.")}
    write_safetensors(os.path.join(OUT, "encoder.safetensors"), encoder_state)
    write_safetensors(os.path.join(OUT, "pretrain.safetensors"), dict(pretrain.state_dict()))
    write_safetensors(os.path.join(OUT, "finetune.safetensors"), dict(finetune.state_dict()))
    write_safetensors(os.path.join(OUT, "io.safetensors"), {
        "clip": clip, "visible": visible.float(), "masked": masked.float(), "encoded": encoded,
        "predictions": predictions, "targets": targets, "logits": logits})
    print("wrote", OUT, "encoder", tuple(encoded.shape), "predictions", tuple(predictions.shape),
          "logits", tuple(logits.shape))


if __name__ == "__main__":
    main()

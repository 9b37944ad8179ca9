"""VideoMAE ViT backbone (patch 16, tubelet 2, no CLS token) with adapters, and weight loading.

The window [B, 3, T, H, W] is cut into chunks of `chunk_frames` frames that the ViT sees
separately (as AdaTAD does, so attention stays affordable on long windows); the adapters'
temporal paths see the whole window again through `grid`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.checkpoint import checkpoint

from annotator.errors import InputError
from inference.adapters import Grid, build_adapter
from inference.configs import AdapterConfig, BackboneConfig
from inference.droppath import DropPath
from inference.posembed import adatad_table, pretrain_grid, resize_slices, sinusoid_table

__all__ = ["VideoMAE", "load_pretrained", "map_key", "resize_pos_embed", "sinusoid_table"]


class Attention(nn.Module):
    """VideoMAE attention: qkv without a k bias (q_bias and v_bias kept separately)."""

    def __init__(self, dim: int, heads: int) -> None:
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim))
        self.v_bias = nn.Parameter(torch.zeros(dim))
        self.proj = nn.Linear(dim, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, L, D] -> [N, L, D]."""
        n, length, dim = x.shape
        bias = torch.cat([self.q_bias, torch.zeros_like(self.v_bias), self.v_bias])
        qkv = F.linear(x, self.qkv.weight, bias).reshape(n, length, 3, self.heads, dim // self.heads)
        q, k, v = qkv.permute(2, 0, 3, 1, 4).unbind(0)  # each [N, heads, L, D/heads]
        out = F.scaled_dot_product_attention(q, k, v)
        projected: torch.Tensor = self.proj(out.transpose(1, 2).reshape(n, length, dim))
        return projected


class Mlp(nn.Module):
    """The block's feed-forward network."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(hidden, dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, L, D] -> [N, L, D]."""
        out: torch.Tensor = self.fc2(self.act(self.fc1(x)))
        return out


class Block(nn.Module):
    """Pre-norm ViT block; the adapter follows the FFN residual."""

    def __init__(self, dim: int, heads: int, mlp_ratio: float, adapter: AdapterConfig,
                 drop_path: float = 0.0) -> None:
        super().__init__()
        self.drop_path = DropPath(drop_path)
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = Attention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = Mlp(dim, int(dim * mlp_ratio))
        self.adapter = build_adapter(dim, adapter)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """x: [N, L, D] -> [N, L, D]."""
        x = x + self.drop_path(self.attn(self.norm1(x)))
        x = x + self.drop_path(self.mlp(self.norm2(x)))
        if self.adapter is not None:
            x = self.adapter(x, grid)
        return x


class VideoMAE(nn.Module):
    """VideoMAE encoder returning one feature vector per tubelet step: [B, D, T / tubelet]."""

    def __init__(self, config: BackboneConfig, adapter: AdapterConfig) -> None:
        super().__init__()
        self.config = config
        dim, p, t = config.embed_dim, config.patch_size, config.tubelet
        self.patch_embed = nn.Conv3d(3, dim, kernel_size=(t, p, p), stride=(t, p, p))
        self.grid_thw = (config.chunk_frames // t, config.img_size // p, config.img_size // p)
        # AdaTAD's table: the pretraining grid's sin-cos code, each temporal slice resized bicubically;
        # a learned table from a checkpoint replaces it (saved with the model)
        self.register_buffer("pos_embed", adatad_table(self.grid_thw, dim, p))
        # AdaTAD: stochastic depth rising linearly over the blocks, kept on in frozen blocks
        rates = torch.linspace(0, config.drop_path, config.depth).tolist()
        self.blocks = nn.ModuleList(
            Block(dim, config.num_heads, config.mlp_ratio, adapter, rate) for rate in rates
        )
        self.norm = nn.LayerNorm(dim, eps=1e-6)  # kept (and loaded) even when final_norm is off
        self.checkpointing = False  # activation checkpointing, switched on for CUDA training

    def forward(self, video: torch.Tensor) -> torch.Tensor:
        """video: [B, 3, T, H, W], T a multiple of chunk_frames -> features [B, D, T / tubelet]."""
        b, c, frames, height, width = video.shape
        chunk = self.config.chunk_frames
        if frames % chunk or height != self.config.img_size or width != self.config.img_size:
            raise ValueError(f"window {tuple(video.shape)} does not fit chunks of {chunk} frames "
                             f"at {self.config.img_size}x{self.config.img_size}")
        chunks = frames // chunk
        x = video.reshape(b, c, chunks, chunk, height, width).transpose(1, 2)
        x = x.reshape(b * chunks, c, chunk, height, width)  # [B*chunks, 3, chunk, H, W]
        x = self.patch_embed(x).flatten(2).transpose(1, 2)  # [B*chunks, t*h*w, D]
        x = x + self.pos_embed.to(x.dtype)
        t, h, w = self.grid_thw
        grid: Grid = (b, chunks, t, h, w)
        for block in self.blocks:
            if self.checkpointing and self.training and torch.is_grad_enabled():
                x = checkpoint(block, x, grid, use_reentrant=False)
            else:
                x = block(x, grid)
        normed: torch.Tensor = self.norm(x) if self.config.final_norm else x  # AdaTAD: no final norm
        pooled = normed.reshape(b, chunks * t, h * w, -1).mean(dim=2)  # [B, T/tubelet, D], spatial mean pool
        return pooled.transpose(1, 2)


# ---------------------------------------------------------------------------------------------
# Loading pretrained weights from a local file (official VideoMAE, OpenTAD / AdaTAD checkpoints)

_PREFIXES = (
    "module.", "backbone.model.backbone.", "model.backbone.", "backbone.model.", "backbone.",
    "encoder.", "model.",
)
_IGNORED = ("decoder", "encoder_to_decoder", "mask_token", "head.", "neck.", "rpn_head.", "roi_head.",
            "projection.")
# official VideoMAE names are ours; OpenTAD (mmcv PatchEmbed and FFN, AdaTAD's Adapter) renames:
_RENAMES = (
    ("patch_embed.projection.", "patch_embed."), ("patch_embed.proj.", "patch_embed."),
    (".mlp.layers.0.0.", ".mlp.fc1."), (".mlp.layers.1.", ".mlp.fc2."),
    (".adapter.down_proj.", ".adapter.down."), (".adapter.up_proj.", ".adapter.up."),
    (".adapter.dwconv.", ".adapter.tdw.dwconv."), (".adapter.conv.", ".adapter.tdw.conv."),
    (".adapter.gamma", ".adapter.alpha"),
)


@dataclass
class LoadReport:
    """What a pretrained checkpoint gave: loaded keys, keys it lacked, keys it had in excess."""

    path: str
    loaded: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    resized: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One paragraph for the terminal or the log."""
        lines = [f"{self.path}: loaded {len(self.loaded)} tensors"]
        if self.resized:
            lines.append(f"  resized: {', '.join(self.resized)}")
        if self.missing:
            lines.append(f"  missing ({len(self.missing)}): {', '.join(self.missing[:8])}"
                         + (" ..." if len(self.missing) > 8 else ""))
        if self.unexpected:
            lines.append(f"  unexpected ({len(self.unexpected)}): {', '.join(self.unexpected[:8])}"
                         + (" ..." if len(self.unexpected) > 8 else ""))
        return "\n".join(lines)


# Hugging Face transformers' VideoMAE names -> the official ones (after "videomae." is stripped);
# its separate query/key/value weights are fused into qkv by from_hf_layout.
_HF_RENAMES = (
    ("embeddings.patch_embeddings.projection.", "patch_embed.proj."), ("encoder.layer.", "blocks."),
    (".attention.attention.q_bias", ".attn.q_bias"), (".attention.attention.v_bias", ".attn.v_bias"),
    (".attention.output.dense.", ".attn.proj."), (".intermediate.dense.", ".mlp.fc1."),
    (".output.dense.", ".mlp.fc2."), (".layernorm_before.", ".norm1."), (".layernorm_after.", ".norm2."),
)
_HF_QKV = (".attention.attention.query.weight", ".attention.attention.key.weight",
           ".attention.attention.value.weight")


def from_hf_layout(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A transformers-format VideoMAE state dict in the official layout (others unchanged)."""
    if not any(_HF_QKV[0] in k for k in state):
        return state
    plain = {k.removeprefix("videomae."): v for k, v in state.items()}
    out: dict[str, torch.Tensor] = {}
    for key, value in plain.items():
        end = next((e for e in _HF_QKV if key.endswith(e)), None)
        if end is not None:
            stem = key[: -len(end)]
            parts = [t for e in _HF_QKV if (t := plain.get(stem + e)) is not None]
            if len(parts) == len(_HF_QKV):  # a complete q, k, v: fused once, at the query weight
                if end == _HF_QKV[0]:
                    out[_hf_name(stem) + ".attn.qkv.weight"] = torch.cat(parts)  # [3D, D]
                continue
        out[_hf_name(key)] = value
    return out


def _hf_name(key: str) -> str:
    if key.startswith("layernorm."):
        return "norm." + key[len("layernorm."):]
    if key.startswith("classifier."):
        return "head." + key[len("classifier."):]
    for before, after in _HF_RENAMES:
        key = key.replace(before, after)
    return key


def map_key(key: str) -> str:
    """Map an official VideoMAE / OpenTAD / AdaTAD key to ours (prefixes stripped, renames applied)."""
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if key.startswith(prefix):
                key, changed = key[len(prefix):], True
    for before, after in _RENAMES:
        key = key.replace(before, after)
    if key.startswith("fc_norm."):  # VideoMAE with mean pooling keeps its last norm under this name
        key = "norm." + key[len("fc_norm."):]
    return key


def _unwrap(obj: object, path: str) -> dict[str, torch.Tensor]:
    if isinstance(obj, dict):
        for name in ("model", "module", "state_dict", "model_state"):
            inner = obj.get(name)
            if isinstance(inner, dict) and any(isinstance(v, torch.Tensor) for v in inner.values()):
                return _unwrap(inner, path)
        tensors = {k: v for k, v in obj.items() if isinstance(v, torch.Tensor)}
        if tensors:
            return tensors
    raise InputError(path, None, "no tensor state dict found in this checkpoint")


def resize_pos_embed(table: torch.Tensor, source_thw: tuple[int, int, int],
                     target_thw: tuple[int, int, int]) -> torch.Tensor:
    """Interpolate a learned [1, t*h*w, D] position table to a new (t, h, w) grid (trilinear)."""
    dim = table.shape[-1]
    grid = table.reshape(1, *source_thw, dim).permute(0, 4, 1, 2, 3)
    grid = F.interpolate(grid.float(), size=target_thw, mode="trilinear", align_corners=False)
    return grid.permute(0, 2, 3, 4, 1).reshape(1, -1, dim)


def _guess_thw(n: int, target: tuple[int, int, int]) -> tuple[int, int, int]:
    for t in (8, 16, 4, 2, 1, target[0]):
        side = math.isqrt(n // t) if n % t == 0 else 0
        if side and t * side * side == n:
            return (t, side, side)
    raise ValueError(f"cannot read a (t, h, w) grid from {n} positions")


def load_pretrained(model: VideoMAE, path: str | Path) -> LoadReport:
    """Load backbone (and adapter) weights from a local checkpoint file; never downloads."""
    path = Path(path)
    if not path.is_file():
        raise InputError(str(path), None, "pretrained checkpoint not found")
    state = from_hf_layout(_unwrap(_read_weights(path), str(path)))
    ours = model.state_dict()
    report = LoadReport(path=str(path))
    matched: dict[str, torch.Tensor] = {}
    for key, value in state.items():
        new = map_key(key)
        if new == "pos_embed":
            model.pos_embed = _pos_embed_from(value, model, report)
            continue
        if any(new.startswith(p) or f".{p}" in new for p in _IGNORED):
            continue
        if new == "patch_embed.weight" and new in ours and value.dim() == 4 and ours[new].dim() == 5:
            value = value.unsqueeze(2).repeat(1, 1, ours[new].shape[2], 1, 1) / ours[new].shape[2]  # 2-D ViT
        if new in ours and value.numel() == 1 and ours[new].numel() == 1:
            value = value.reshape(ours[new].shape)  # AdaTAD's gamma is [1], our alpha a scalar
        if new not in ours:
            report.unexpected.append(key)
        elif ours[new].shape != value.shape:
            report.unexpected.append(f"{key} (shape {tuple(value.shape)} != {tuple(ours[new].shape)})")
        else:
            matched[new] = value
    report.loaded = sorted(matched)
    report.missing = sorted(k for k in ours if k not in matched and k != "pos_embed")
    _check_most_loaded(report, ours, str(path))
    model.load_state_dict(matched, strict=False)
    return report


def _check_most_loaded(report: LoadReport, ours: dict[str, torch.Tensor], path: str) -> None:
    """InputError when the file gave fewer than half of the ViT's own tensors (adapters are new)."""
    own = [k for k in ours if ".adapter." not in k and k != "pos_embed"]
    missing = [k for k in report.missing if ".adapter." not in k]
    if 2 * len(missing) > len(own):
        raise InputError(path, None, f"{len(missing)} of the backbone's {len(own)} tensors are missing "
                                     f"(e.g. {missing[0]}): not a VideoMAE checkpoint of this size")


def _read_weights(path: Path) -> object:
    """The checkpoint's contents: torch's pickle-free loader, or safetensors for .safetensors files."""
    try:
        if path.suffix == ".safetensors":
            from safetensors.torch import load_file

            return load_file(str(path), device="cpu")
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # pickle, zip or header errors: one clear message
        raise InputError(str(path), None, f"cannot read checkpoint: {exc}") from None


def _pos_embed_from(value: torch.Tensor, model: VideoMAE, report: LoadReport) -> torch.Tensor:
    target = model.grid_thw
    value = value.reshape(1, -1, value.shape[-1]).float()
    device = model.patch_embed.weight.device
    if torch.allclose(value, sinusoid_table(value.shape[1], value.shape[2]), atol=1e-4):
        report.loaded.append("pos_embed (fixed sin-cos, rebuilt on the pretraining grid for this input size)")
        return adatad_table(target, value.shape[2], model.config.patch_size).to(device)
    if value.shape[1] != math.prod(target):
        source = _guess_thw(value.shape[1], target)
        if source == pretrain_grid(target, model.config.patch_size):  # AdaTAD: slice by slice, bicubic
            value = resize_slices(value, source, target[1:])
        else:
            value = resize_pos_embed(value, source, target)
        report.resized.append(f"pos_embed -> {target}")
    report.loaded.append("pos_embed")
    return value.to(device)

"""ActionFormer head: temporal projection, 6-level feature pyramid, classification and regression.

Positions are measured in level-0 feature steps (one step = one VideoMAE tubelet); level l has
stride 2**l and regresses segments whose larger offset lies in its regression range.

The pyramid is ActionFormer's transformer: pre-norm blocks whose self-attention sees only a
window of neighbouring steps, with queries, keys and values taken through depth-wise
convolutions (stride 2 in the blocks that go down a level, the shortcut max-pooled to match).
"convformer" keeps that block's shape with a depth-wise convolution in place of the attention
(far fewer ops: the pose detector's choice on a CPU); "conv" is one plain convolution a level.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from inference.configs import HeadConfig
from inference.droppath import AffineDropPath


class ChannelNorm(nn.Module):
    """LayerNorm over channels of [B, C, T] (ActionFormer's LayerNorm)."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """[B, C, T] -> [B, C, T]."""
        out: torch.Tensor = self.norm(x.transpose(1, 2))
        return out.transpose(1, 2)


class ConvBlock(nn.Module):
    """Conv1d + norm + ReLU that keeps padded steps at zero."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int = 1) -> None:
        super().__init__()
        self.stride = stride
        self.conv = nn.Conv1d(c_in, c_out, kernel, stride=stride, padding=kernel // 2)
        self.norm = ChannelNorm(c_out)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, T], mask: [B, T] -> ([B, C', T/stride], [B, T/stride])."""
        mask = mask[:, :: self.stride]
        x = F.relu(self.norm(self.conv(x)))
        return x * mask.unsqueeze(1).to(x.dtype), mask


class Scale(nn.Module):
    """A learnable scalar per pyramid level for the regression output."""

    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(torch.ones(()))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Multiply by the scale."""
        return x * self.scale


class LocalSelfAttention(nn.Module):
    """Multi-head self-attention restricted to |i - j| <= window // 2 steps (at the output rate)."""

    def __init__(self, dim: int, heads: int, window: int, stride: int) -> None:
        super().__init__()
        if dim % heads:
            raise ValueError(f"head dim {dim} is not divisible by {heads} attention heads")
        self.heads, self.window, self.stride = heads, window, stride
        self.convs = nn.ModuleList(
            nn.Conv1d(dim, dim, 3, stride=stride, padding=1, groups=dim, bias=False) for _ in range(3)
        )
        self.norms = nn.ModuleList(ChannelNorm(dim) for _ in range(3))
        self.proj = nn.ModuleList(nn.Conv1d(dim, dim, 1) for _ in range(3))
        self.out = nn.Conv1d(dim, dim, 1)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, T], mask: [B, T] -> ([B, C, T'], [B, T']) with T' = ceil(T / stride)."""
        x = x * mask.unsqueeze(1).to(x.dtype)  # padded steps read as zeros by the convolutions
        mask = mask[:, :: self.stride]
        keep = mask.unsqueeze(1).to(x.dtype)
        b, c, t = x.shape[0], x.shape[1], mask.shape[1]
        q, k, v = (
            proj(norm(conv(x)) * keep).view(b, self.heads, c // self.heads, t).transpose(2, 3)
            for conv, norm, proj in zip(self.convs, self.norms, self.proj, strict=True)
        )  # each [B, H, T', C/H]
        allowed = mask[:, None, None, :]  # [B, 1, 1, T']: padded keys are never attended to
        if self.window > 0:  # window 0: global attention (AdaTAD's multi-label configuration)
            steps = torch.arange(t, device=x.device)
            allowed = allowed & ((steps[:, None] - steps[None, :]).abs() <= self.window // 2)  # [B, 1, T', T']
        allowed = allowed | torch.eye(t, dtype=torch.bool, device=x.device)  # no query row is empty
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed)  # [B, H, T', C/H]
        y = y.transpose(2, 3).reshape(b, c, t)
        return self.out(y) * keep, mask


class TransformerBlock(nn.Module):
    """Pre-norm local attention + MLP; stride 2 halves the length (the shortcut is max-pooled)."""

    def __init__(self, dim: int, heads: int, window: int, stride: int = 1, drop_path: float = 0.0) -> None:
        super().__init__()
        # ActionFormer: an affine drop-path on each branch when path_pdrop > 0
        self.drop_attn: nn.Module = AffineDropPath(dim, drop_path) if drop_path > 0 else nn.Identity()
        self.drop_mlp: nn.Module = AffineDropPath(dim, drop_path) if drop_path > 0 else nn.Identity()
        self.norm1 = ChannelNorm(dim)
        self.attn = LocalSelfAttention(dim, heads, window, stride)
        self.skip: nn.Module = nn.MaxPool1d(3, stride, padding=1) if stride > 1 else nn.Identity()
        self.norm2 = ChannelNorm(dim)
        self.mlp = mlp(dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, T], mask: [B, T] -> ([B, C, T'], [B, T'])."""
        # Padded steps are zeros; the max-pool must not see them as values (a window of negative
        # features at an odd valid length would pool a padded 0), so they become the minimum.
        shortcut = self.skip(x.masked_fill(~mask.unsqueeze(1), torch.finfo(x.dtype).min))
        y, mask = self.attn(self.norm1(x), mask)
        keep = mask.unsqueeze(1).to(x.dtype)
        x = shortcut * keep + self.drop_attn(y)
        return x + self.drop_mlp(self.mlp(self.norm2(x)) * keep), mask


class ConvFormerBlock(nn.Module):
    """Max-pool down a level (stride 2), then two pre-norm residual branches: a depth-wise
    convolution over time and the MLP (a MetaFormer whose token mixer is a convolution)."""

    def __init__(self, dim: int, kernel: int, stride: int = 1, drop_path: float = 0.0) -> None:
        super().__init__()
        self.stride = stride
        self.drop_mix: nn.Module = AffineDropPath(dim, drop_path) if drop_path > 0 else nn.Identity()
        self.drop_mlp: nn.Module = AffineDropPath(dim, drop_path) if drop_path > 0 else nn.Identity()
        self.norm1 = ChannelNorm(dim)
        self.mix = nn.Conv1d(dim, dim, kernel, padding=kernel // 2, groups=dim)
        self.norm2 = ChannelNorm(dim)
        self.mlp = mlp(dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, T], mask: [B, T] -> ([B, C, T'], [B, T']) with T' = ceil(T / stride)."""
        if self.stride > 1:  # padded steps must not win the max-pool (see TransformerBlock)
            x = F.max_pool1d(x.masked_fill(~mask.unsqueeze(1), torch.finfo(x.dtype).min), 3, self.stride, 1)
            mask = mask[:, :: self.stride]
        keep = mask.unsqueeze(1).to(x.dtype)
        x = x * keep
        x = x + self.drop_mix(self.mix(self.norm1(x)) * keep)
        return x + self.drop_mlp(self.mlp(self.norm2(x)) * keep), mask


def mlp(dim: int) -> nn.Sequential:
    """The blocks' per-step MLP: 1x1 convolutions, 4x wide, GELU."""
    return nn.Sequential(nn.Conv1d(dim, 4 * dim, 1), nn.GELU(), nn.Conv1d(4 * dim, dim, 1))


class Stem(nn.Module):
    """Level 0 of the transformer pyramid: a few stride-1 blocks."""

    def __init__(self, dim: int, heads: int, window: int, blocks: int, drop_path: float = 0.0) -> None:
        super().__init__()
        self.blocks = nn.ModuleList(TransformerBlock(dim, heads, window, 1, drop_path) for _ in range(blocks))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: [B, C, T], mask: [B, T] -> same shapes."""
        for block in self.blocks:
            x, mask = block(x, mask)
        return x, mask


class NormOut(nn.Module):
    """A pyramid level's output norm (ActionFormer's identity neck), keeping padded steps at zero."""

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.norm = ChannelNorm(dim)

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """[B, C, T] -> [B, C, T]."""
        out: torch.Tensor = self.norm(x)
        return out * mask.unsqueeze(1).to(x.dtype)


PYRAMIDS = ("transformer", "convformer", "conv")


def make_pyramid(config: HeadConfig) -> tuple[nn.ModuleList, nn.ModuleList]:
    """The pyramid's level blocks and per-level output modules (empty for the conv pyramid)."""
    dim, k = config.dim, config.kernel
    blocks: list[nn.Module]
    if config.pyramid == "conv":
        blocks = [ConvBlock(dim, dim, k, stride=1 if level == 0 else 2) for level in range(config.levels)]
        return nn.ModuleList(blocks), nn.ModuleList()
    rate = config.drop_path
    if config.pyramid == "convformer":
        blocks = [ConvFormerBlock(dim, k, 1 if level == 0 else 2, rate) for level in range(config.levels)]
        return nn.ModuleList(blocks), nn.ModuleList(NormOut(dim) for _ in range(config.levels))
    if config.pyramid != "transformer":
        raise ValueError(f"unknown pyramid {config.pyramid!r} ({', '.join(PYRAMIDS)})")
    heads, window = config.attn_heads, config.attn_window
    levels: list[nn.Module] = [Stem(dim, heads, window, config.stem_blocks, rate)]
    levels += [TransformerBlock(dim, heads, window, 2, rate) for _ in range(config.levels - 1)]
    return nn.ModuleList(levels), nn.ModuleList(NormOut(dim) for _ in range(config.levels))


class ActionFormerHead(nn.Module):
    """Projection -> pyramid -> shared classification and regression heads."""

    def __init__(self, in_dim: int, num_classes: int, config: HeadConfig) -> None:
        super().__init__()
        dim, k = config.dim, config.kernel
        self.config = config
        self.projection = nn.ModuleList(
            ConvBlock(in_dim if i == 0 else dim, dim, k) for i in range(config.proj_layers)
        )
        self.pyramid, self.neck = make_pyramid(config)
        self.cls_tower = nn.ModuleList(ConvBlock(dim, dim, k) for _ in range(config.head_layers - 1))
        self.reg_tower = nn.ModuleList(ConvBlock(dim, dim, k) for _ in range(config.head_layers - 1))
        self.cls_out = nn.Conv1d(dim, num_classes, k, padding=k // 2)
        self.reg_out = nn.Conv1d(dim, 2, k, padding=k // 2)
        self.scales = nn.ModuleList(Scale() for _ in range(config.levels))
        assert self.cls_out.bias is not None
        nn.init.constant_(self.cls_out.bias, -math.log((1 - config.prior_prob) / config.prior_prob))

    def forward(self, feats: torch.Tensor, mask: torch.Tensor
                ) -> tuple[list[torch.Tensor], list[torch.Tensor], list[torch.Tensor]]:
        """feats: [B, D, T], mask: [B, T] -> per level: logits [B, T_l, C], offsets [B, T_l, 2], mask [B, T_l]."""
        x = feats * mask.unsqueeze(1).to(feats.dtype)
        for block in self.projection:
            x, mask = block(x, mask)
        levels, masks = [], []
        for level, block in enumerate(self.pyramid):
            x, mask = block(x, mask)
            levels.append(self.neck[level](x, mask) if len(self.neck) else x)
            masks.append(mask)
        c, r = self._towers(levels, masks)
        logits = [out.transpose(1, 2) for out in c]  # [B, T_l, C] each
        offsets = [F.relu(scale(out)).transpose(1, 2) for scale, out in zip(self.scales, r, strict=True)]
        return logits, offsets, masks

    def _towers(self, levels: list[torch.Tensor], masks: list[torch.Tensor]
                ) -> tuple[list[torch.Tensor], list[torch.Tensor]]:
        """The shared towers over all levels at once -> per level [B, C, T_l] logits, [B, 2, T_l] offsets.

        The levels are laid end to end with kernel // 2 zero steps between them, which is the zero
        padding each would get alone, so this is the per-level computation in a few large
        convolutions instead of many small ones (most of a CPU step's cost on short windows).
        """
        gap = self.config.kernel // 2
        lengths = [lv.shape[-1] for lv in levels]
        zeros = levels[0].new_zeros((*levels[0].shape[:2], gap))
        x = torch.cat([part for lv in levels for part in (lv, zeros)][:-1], dim=-1)  # [B, D, sum T_l + gaps]
        zero_mask = masks[0].new_zeros((masks[0].shape[0], gap))
        mask = torch.cat([part for m in masks for part in (m, zero_mask)][:-1], dim=-1)
        c = r = x
        for cls_block, reg_block in zip(self.cls_tower, self.reg_tower, strict=True):
            c, _ = cls_block(c, mask)
            r, _ = reg_block(r, mask)
        sizes = [size for n in lengths for size in (n, gap)][:-1]  # each level, then its gap
        return (list(self.cls_out(c).split(sizes, dim=-1)[::2]), list(self.reg_out(r).split(sizes, dim=-1)[::2]))


def make_points(steps: int, config: HeadConfig, device: torch.device) -> torch.Tensor:
    """All pyramid points for a window of `steps` level-0 steps: [P, 4] = (position, lo, hi, stride)."""
    rows = []
    for level in range(config.levels):
        stride = 2**level
        lo, hi = config.regression_ranges[level]
        pos = torch.arange(0, steps, stride, dtype=torch.float32, device=device)
        rows.append(torch.stack([pos, torch.full_like(pos, lo), torch.full_like(pos, hi),
                                 torch.full_like(pos, stride)], dim=1))
    return torch.cat(rows)


def assign_targets(points: torch.Tensor, segments: torch.Tensor, labels: torch.Tensor, num_classes: int,
                   radius: float) -> tuple[torch.Tensor, torch.Tensor]:
    """ActionFormer's assignment: points [P, 4], segments [N, 2] (steps), labels [N] ->
    multi-label class targets [P, C] and offsets in strides [P, 2] (the shortest matching segment)."""
    num_points = points.shape[0]
    if segments.numel() == 0:
        return points.new_zeros((num_points, num_classes)), points.new_zeros((num_points, 2))
    pos, lo, hi, stride = (points[:, i : i + 1] for i in range(4))  # each [P, 1]
    starts, ends = segments[:, 0][None], segments[:, 1][None]  # [1, N]
    left, right = pos - starts, ends - pos  # [P, N]
    centre = 0.5 * (starts + ends)
    centre_left = pos - torch.maximum(centre - radius * stride, starts)
    centre_right = torch.minimum(centre + radius * stride, ends) - pos
    inside = torch.minimum(centre_left, centre_right) > 0
    largest = torch.maximum(left, right)
    in_range = (largest >= lo) & (largest <= hi)
    lengths = (ends - starts).expand(num_points, -1).clone()
    lengths[~(inside & in_range)] = float("inf")
    shortest, which = lengths.min(dim=1)  # [P]
    # every segment as short as the shortest one labels the point (several actions at once)
    chosen = (lengths <= shortest[:, None] + 1e-3) & torch.isfinite(lengths)
    one_hot = F.one_hot(labels.long(), num_classes).to(points.dtype)  # [N, C]
    cls_targets = (chosen.to(points.dtype) @ one_hot).clamp(max=1.0)
    offsets = torch.stack([left, right], dim=-1)[torch.arange(num_points), which]  # [P, 2]
    return cls_targets, offsets / stride

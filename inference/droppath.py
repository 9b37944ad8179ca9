"""Stochastic depth: a residual branch dropped per sample in training, as in timm and ActionFormer."""

from __future__ import annotations

import torch
from torch import nn


class DropPath(nn.Module):
    """Zero the branch for a random `rate` share of samples (dim 0), scaling the rest by 1 / (1 - rate)."""

    def __init__(self, rate: float) -> None:
        super().__init__()
        self.rate = rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [N, ...] -> same shape."""
        if not self.training or self.rate <= 0:
            return x
        keep = 1.0 - self.rate
        mask = x.new_empty((x.shape[0],) + (1,) * (x.dim() - 1)).bernoulli_(keep)
        return x * mask / keep


class AffineDropPath(DropPath):
    """ActionFormer's variant for [B, C, T] branches: a per-channel scale (starting at 1e-4), then drop-path."""

    def __init__(self, channels: int, rate: float, init_scale: float = 1e-4) -> None:
        super().__init__(rate)
        self.scale = nn.Parameter(torch.full((1, channels, 1), init_scale))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: [B, C, T] -> [B, C, T]."""
        return super().forward(self.scale * x)

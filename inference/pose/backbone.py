"""The pose encoder: per-frame landmark features -> feature steps for the ActionFormer head."""

from __future__ import annotations

import torch
from torch import nn

from inference.configs import BackboneConfig
from inference.head import ChannelNorm


class PoseEncoder(nn.Module):
    """[B, T, F] per-frame features -> [B, D, T / tubelet]: temporal convolutions, the last strided.

    It plays VideoMAE's part (one output step per `tubelet` frames), so windows, targets,
    decoding and checkpoints stay those of the RGB detector.
    """

    def __init__(self, config: BackboneConfig) -> None:
        super().__init__()
        dim = config.embed_dim
        layers: list[nn.Module] = [nn.Conv1d(config.in_features, dim, 3, padding=1), ChannelNorm(dim), nn.GELU()]
        for _ in range(max(config.depth - 2, 0)):
            layers += [nn.Conv1d(dim, dim, 3, padding=1), ChannelNorm(dim), nn.GELU()]
        layers += [nn.Conv1d(dim, dim, config.tubelet + 1, stride=config.tubelet, padding=config.tubelet // 2),
                   ChannelNorm(dim), nn.GELU()]
        self.net = nn.Sequential(*layers)
        self.checkpointing = False  # the trainer sets it on every backbone; nothing to save here

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """features: [B, T, F] float -> [B, D, T / tubelet]."""
        out: torch.Tensor = self.net(features.transpose(1, 2))
        return out

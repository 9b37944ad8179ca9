"""The pose encoder: per-frame landmark features -> feature steps for the ActionFormer head."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from inference.configs import BackboneConfig
from inference.head import ChannelNorm

MIN_STD = 0.05  # a feature that hardly varies in the training set is not blown up into noise
CLAMP = 8.0  # standardised features beyond this many deviations are outliers (a landmark jump)


class PoseEncoder(nn.Module):
    """[B, T, F] per-frame features -> [B, D, T / tubelet]: standardised, then temporal convolutions,
    the last strided.

    It plays VideoMAE's part (one output step per `tubelet` frames), so windows, targets,
    decoding and checkpoints stay those of the RGB detector. The features' mean and spread over
    the training clips are buffers, so a checkpoint carries them.
    """

    feature_mean: torch.Tensor  # [F] buffers
    feature_std: torch.Tensor

    def __init__(self, config: BackboneConfig) -> None:
        super().__init__()
        dim = config.embed_dim
        self.tubelet = config.tubelet
        self.register_buffer("feature_mean", torch.zeros(config.in_features))
        self.register_buffer("feature_std", torch.ones(config.in_features))
        layers = _block(config.in_features, dim, 3)
        for _ in range(max(config.depth - 2, 0)):
            layers += _block(dim, dim, 3)
        layers += _block(dim, dim, config.tubelet + 1, config.tubelet)
        self.net = nn.Sequential(*layers)  # conv, norm, GELU per block (the names old checkpoints use)
        self.checkpointing = False  # the trainer sets it on every backbone; nothing to save here

    @torch.no_grad()
    def fit_normalisation(self, clips: Sequence[np.ndarray]) -> None:
        """Set the features' mean and spread from the training clips' frames ([T, F] each)."""
        frames = np.concatenate([np.asarray(c, np.float64) for c in clips if len(c)], axis=0)  # [sum T, F]
        mean, std = frames.mean(axis=0), np.maximum(frames.std(axis=0), MIN_STD)
        self.feature_mean.copy_(torch.from_numpy(mean))
        self.feature_std.copy_(torch.from_numpy(std))

    def forward(self, features: torch.Tensor, valid_steps: torch.Tensor) -> torch.Tensor:
        """features: [B, T, F] float, valid_steps: [B] output steps -> [B, D, T / tubelet]; padding stays 0."""
        x = ((features - self.feature_mean) / self.feature_std).clamp(-CLAMP, CLAMP).transpose(1, 2)  # [B, F, T]
        mask = (torch.arange(x.shape[-1], device=x.device)[None] < valid_steps[:, None] * self.tubelet)  # [B, T]
        x = x * mask[:, None]
        for i in range(0, len(self.net) - 3, 3):  # every block but the strided last one
            x = self.net[i + 2](self.net[i + 1](self.net[i](x))) * mask[:, None]
        out: torch.Tensor = self.net[-1](self.net[-2](self.net[-3](x)))
        return out

    def _load_from_state_dict(self, state_dict: dict[str, Any], prefix: str, *args: Any, **kwargs: Any) -> None:
        # checkpoints written before the encoder standardised its input: identity statistics
        for name in ("feature_mean", "feature_std"):
            if prefix + name not in state_dict:
                state_dict[prefix + name] = getattr(self, name).clone()
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)


def _block(c_in: int, c_out: int, kernel: int, stride: int = 1) -> list[nn.Module]:
    """Conv1d (centred) + channel norm + GELU."""
    return [nn.Conv1d(c_in, c_out, kernel, stride=stride, padding=kernel // 2), ChannelNorm(c_out), nn.GELU()]

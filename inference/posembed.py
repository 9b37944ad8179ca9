"""Fixed position tables of the VideoMAE backbone.

VideoMAE was pretrained with a 1-D sin-cos code over the flattened (t, h, w) token index of its
pretraining grid (8 x 14 x 14 tokens for 16 frames at 224x224). At another input size AdaTAD
keeps that code and resizes each temporal slice bicubically to the new h x w grid, so every
token still carries the code of the same place in the frame it had during pretraining.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

PRETRAIN_SIZE = 224  # VideoMAE's pretraining resolution


def sinusoid_table(n_position: int, dim: int) -> torch.Tensor:
    """VideoMAE's 1-D sin-cos table over n flattened token positions: [1, n, dim]."""
    position = np.arange(n_position, dtype=np.float64)[:, None]
    rates = np.power(10000.0, 2 * (np.arange(dim) // 2) / dim)[None, :]
    table = position / rates
    table[:, 0::2] = np.sin(table[:, 0::2])
    table[:, 1::2] = np.cos(table[:, 1::2])
    return torch.from_numpy(table).float().unsqueeze(0)


def pretrain_grid(grid_thw: tuple[int, int, int], patch_size: int) -> tuple[int, int, int]:
    """The pretraining token grid with the same number of temporal slices: (t, 224/p, 224/p)."""
    side = PRETRAIN_SIZE // patch_size
    return (grid_thw[0], side, side)


def resize_slices(table: torch.Tensor, source_thw: tuple[int, int, int],
                  target_hw: tuple[int, int]) -> torch.Tensor:
    """[1, t*h*w, D] -> [1, t*h'*w', D]: each temporal slice resized bicubically (AdaTAD's rule)."""
    t, h, w = source_thw
    if (h, w) == target_hw:
        return table
    dim = table.shape[-1]
    slices = table.reshape(t, h, w, dim).permute(0, 3, 1, 2)  # [t, D, h, w]
    slices = F.interpolate(slices.float(), size=target_hw, mode="bicubic", align_corners=False)
    return slices.permute(0, 2, 3, 1).reshape(1, -1, dim)  # [1, t*h'*w', D]


def adatad_table(grid_thw: tuple[int, int, int], dim: int, patch_size: int) -> torch.Tensor:
    """The sin-cos table of the pretraining grid, resized slice by slice to grid_thw: [1, t*h*w, D]."""
    source = pretrain_grid(grid_thw, patch_size)
    table = sinusoid_table(source[0] * source[1] * source[2], dim)
    return resize_slices(table, source, (grid_thw[1], grid_thw[2]))

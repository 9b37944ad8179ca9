"""Adapters inserted after the FFN residual of every ViT block (AdaTAD's position).

Tokens arrive as x: [N, L, D] with N = B * chunks and L = t * h * w; `grid` = (B, chunks, t, h, w)
lets the temporal paths see the whole window, not only one chunk.

Parameter counts for VideoMAE-S (D = 384, bottleneck 96, 12 blocks), in units of 2**20,
beside the MMAD paper's Table 4:
  standard  0.849  (paper 0.85)
  TIA       0.960  (paper 0.96)
  DSTA, paper-count variant (default): each path has its own down-projection  1.807  (paper 1.80)
  DSTA, printed variant: eq. (3) as printed, one shared down-projection       1.384
"""

from __future__ import annotations

import torch
from torch import nn

from inference.configs import AdapterConfig

Grid = tuple[int, int, int, int, int]  # (B, chunks, t, h, w)


def _to_window(x: torch.Tensor, grid: Grid) -> torch.Tensor:
    """[N, L, C] -> [B, T, h, w, C] with T = chunks * t."""
    b, n, t, h, w = grid
    return x.reshape(b, n * t, h, w, x.shape[-1])


def _from_window(x: torch.Tensor, grid: Grid) -> torch.Tensor:
    """[B, T, h, w, C] -> [N, L, C]."""
    b, n, t, h, w = grid
    return x.reshape(b * n, t * h * w, x.shape[-1])


class TemporalDepthwise(nn.Module):
    """TDW of AdaTAD: depth-wise temporal conv (kernel k) then a 1x1 conv, over the whole window."""

    def __init__(self, channels: int, kernel: int) -> None:
        super().__init__()
        self.dwconv = nn.Conv1d(channels, channels, kernel, padding=kernel // 2, groups=channels)
        self.conv = nn.Conv1d(channels, channels, 1)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """x: [N, L, C] -> [N, L, C]."""
        v = _to_window(x, grid)  # [B, T, h, w, C]
        b, t, h, w, c = v.shape
        v = v.permute(0, 2, 3, 4, 1).reshape(b * h * w, c, t)  # [B*h*w, C, T]
        v = self.conv(self.dwconv(v))
        v = v.reshape(b, h, w, c, t).permute(0, 4, 1, 2, 3)  # [B, T, h, w, C]
        return _from_window(v, grid)


class SpatialDepthwise(nn.Module):
    """SDW of DSTA: depth-wise 2-D conv per frame over the h x w token grid."""

    def __init__(self, channels: int, kernel: int) -> None:
        super().__init__()
        self.dwconv = nn.Conv2d(channels, channels, kernel, padding=kernel // 2, groups=channels)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """x: [N, L, C] -> [N, L, C]."""
        v = _to_window(x, grid)
        b, t, h, w, c = v.shape
        v = v.reshape(b * t, h, w, c).permute(0, 3, 1, 2)  # [B*T, C, h, w]
        v = self.dwconv(v)
        v = v.permute(0, 2, 3, 1).reshape(b, t, h, w, c)
        return _from_window(v, grid)


class StandardAdapter(nn.Module):
    """X' = W_up σ(W_down X) + X."""

    def __init__(self, dim: int, config: AdapterConfig) -> None:
        super().__init__()
        hidden = int(dim * config.ratio)
        self.down = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.up = nn.Linear(hidden, dim)
        nn.init.zeros_(self.up.weight)  # start as the identity: the frozen backbone's features
        nn.init.zeros_(self.up.bias)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """x: [N, L, D] -> [N, L, D]."""
        up: torch.Tensor = self.up(self.act(self.down(x)))
        return x + up


class TIAAdapter(nn.Module):
    """AdaTAD's temporal-informative adapter: X' = α W_up (TDW(X̃) + X̃) + X, X̃ = σ(W_down X)."""

    def __init__(self, dim: int, config: AdapterConfig) -> None:
        super().__init__()
        hidden = int(dim * config.ratio)
        self.down = nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.tdw = TemporalDepthwise(hidden, config.temporal_kernel)
        self.up = nn.Linear(hidden, dim)
        self.alpha = nn.Parameter(torch.ones(()))
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """x: [N, L, D] -> [N, L, D]."""
        h = self.act(self.down(x))
        h = self.tdw(h, grid) + h
        up: torch.Tensor = self.up(h)
        return x + self.alpha * up


class DSTAAdapter(nn.Module):
    """DSTA (MMAD eq. 3): X' = α W_up [β X̂_s ; γ X̂_t] + X, spatial and temporal paths.

    variant "paper-count" gives each path its own down-projection (matches Table 4's 1.80M);
    variant "printed" shares one W_down between the paths, as eq. (3) is printed (1.38M).
    """

    def __init__(self, dim: int, config: AdapterConfig) -> None:
        super().__init__()
        hidden = int(dim * config.ratio)
        self.shared = config.dsta_variant == "printed"
        self.down_s = nn.Linear(dim, hidden)
        self.down_t = None if self.shared else nn.Linear(dim, hidden)
        self.act = nn.GELU()
        self.sdw = SpatialDepthwise(hidden, config.spatial_kernel)
        self.tdw = TemporalDepthwise(hidden, config.temporal_kernel)
        self.up = nn.Linear(2 * hidden, dim)
        self.alpha = nn.Parameter(torch.ones(()))
        self.beta = nn.Parameter(torch.ones(()))
        self.gamma = nn.Parameter(torch.ones(()))
        nn.init.zeros_(self.up.weight)
        nn.init.zeros_(self.up.bias)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """x: [N, L, D] -> [N, L, D]."""
        hs = self.act(self.down_s(x))  # [N, L, hidden]
        ht = hs if self.down_t is None else self.act(self.down_t(x))
        xs = self.sdw(hs, grid) + hs
        xt = self.tdw(ht, grid) + ht
        up: torch.Tensor = self.up(torch.cat([self.beta * xs, self.gamma * xt], dim=-1))
        return x + self.alpha * up


def build_adapter(dim: int, config: AdapterConfig) -> nn.Module | None:
    """The adapter module for one block, or None for "none" / "full"."""
    adapter: nn.Module
    if config.kind == "standard":
        adapter = StandardAdapter(dim, config)
    elif config.kind == "tia":
        adapter = TIAAdapter(dim, config)
    elif config.kind == "dsta":
        if config.dsta_variant not in ("paper-count", "printed"):
            raise ValueError(f"unknown DSTA variant {config.dsta_variant!r}")
        adapter = DSTAAdapter(dim, config)
    elif config.kind in ("none", "full"):
        return None
    else:
        raise ValueError(f"unknown adapter {config.kind!r}")
    if config.init == "adatad":
        adatad_init(adapter)
    elif config.init != "zero-up":
        raise ValueError(f"unknown adapter init {config.init!r} (zero-up or adatad)")
    return adapter


@torch.no_grad()
def adatad_init(adapter: nn.Module) -> None:
    """AdaTAD's initialisation: down-projections trunc-normal(0.02), TDW convs He-normal, biases 0."""
    for name, module in adapter.named_modules():
        leaf = name.rsplit(".", 1)[-1]
        if isinstance(module, nn.Linear) and leaf.startswith("down"):
            nn.init.trunc_normal_(module.weight, std=0.02)  # AdaTAD: trunc_normal_init(down_proj, 0.02), cut at ±2
        elif isinstance(module, nn.Conv1d):  # AdaTAD: normal(0, sqrt(2 / fan-in)) for dwconv and conv
            fan_in = module.weight.shape[1] * module.weight.shape[2]
            module.weight.normal_(0.0, (2.0 / fan_in) ** 0.5)
        else:
            continue
        if module.bias is not None:
            module.bias.zero_()

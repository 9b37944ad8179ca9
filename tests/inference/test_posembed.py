"""The backbone's position table is AdaTAD's: pretraining-grid sin-cos, slices resized bicubically."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from inference.backbone import VideoMAE, load_pretrained
from inference.checkpoint import load_detector, save_checkpoint
from inference.configs import AdapterConfig, preset
from inference.model import Detector


def formula_table(n: int, dim: int) -> np.ndarray:
    """sin(p / 10000^(2i/d)) on even channels, cos on odd ones, written out element by element."""
    table = np.zeros((n, dim))
    for pos in range(n):
        for j in range(dim):
            angle = pos / 10000 ** (2 * (j // 2) / dim)
            table[pos, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return table


def cubic_matrix(n_in: int, n_out: int, a: float = -0.75) -> np.ndarray:
    """Keys' cubic convolution (a = -0.75), half-pixel centres, edge samples repeated: [out, in]."""

    def kernel(x: float) -> float:
        x = abs(x)
        if x <= 1:
            return (a + 2) * x**3 - (a + 3) * x**2 + 1
        return a * x**3 - 5 * a * x**2 + 8 * a * x - 4 * a if x < 2 else 0.0

    m = np.zeros((n_out, n_in))
    for i in range(n_out):
        src = (i + 0.5) * n_in / n_out - 0.5
        base = math.floor(src)
        for k in range(base - 1, base + 3):
            m[i, min(max(k, 0), n_in - 1)] += kernel(src - k)
    return m


def reference_table(t: int, side_in: int, side_out: int, dim: int) -> np.ndarray:
    """Independent AdaTAD table: [t*side_out*side_out, dim]."""
    table = formula_table(t * side_in * side_in, dim).reshape(t, side_in, side_in, dim)
    m = cubic_matrix(side_in, side_out)
    resized = np.einsum("ph,thwd,qw->tpqd", m, table, m)
    return resized.reshape(-1, dim)


def test_vit_s_table_at_160_is_the_resized_224_table() -> None:
    backbone = VideoMAE(preset("vit-s").backbone, AdapterConfig(kind="none"))
    assert backbone.grid_thw == (8, 10, 10)
    expected = reference_table(8, 14, 10, 384)
    assert backbone.pos_embed.shape == (1, 800, 384)
    assert np.allclose(backbone.pos_embed[0].numpy(), expected, atol=1e-5)
    # the old 1-D table over 800 positions is something else
    assert not np.allclose(formula_table(800, 384), expected, atol=1e-2)


def test_every_slice_starts_from_its_own_pretraining_slice() -> None:
    backbone = VideoMAE(preset("tiny").backbone, AdapterConfig(kind="none"))
    t, h, w = backbone.grid_thw
    table = backbone.pos_embed[0].reshape(t, h, w, -1)
    full = torch.from_numpy(formula_table(t * 14 * 14, 64)).float().reshape(t, 14, 14, -1)
    for s in range(t):
        # each resized slice is closest to the 224-slice of the same time, not another one
        means = [float(torch.nn.functional.cosine_similarity(table[s].mean((0, 1)), full[o].mean((0, 1)), dim=0))
                 for o in range(t)]
        assert int(np.argmax(means)) == s


def test_official_checkpoint_table_is_rebuilt_and_a_detector_checkpoint_keeps_it(tmp_path: Path) -> None:
    config = preset("tiny", "dsta", num_classes=4)
    model = Detector(config)
    official = tmp_path / "videomae.pth"
    own = {k: v for k, v in Detector(config).backbone.state_dict().items() if ".adapter." not in k and k != "pos_embed"}
    table = torch.from_numpy(formula_table(4 * 14 * 14, 64)).float()[None]
    torch.save({"model": {**own, "pos_embed": table}}, official)  # a whole checkpoint: the ViT's tensors too
    model.backbone.pos_embed.zero_()
    load_pretrained(model.backbone, official)
    expected = reference_table(4, 14, 4, 64)
    assert np.allclose(model.backbone.pos_embed[0].numpy(), expected, atol=1e-5)
    save_checkpoint(tmp_path / "run.pt", model, [str(i) for i in range(4)])
    loaded, _, _ = load_detector(tmp_path / "run.pt")
    assert torch.equal(loaded.backbone.pos_embed, model.backbone.pos_embed)
    model.backbone.pos_embed.add_(0.5)  # a learned table is kept as it was, not rebuilt
    save_checkpoint(tmp_path / "learned.pt", model, [str(i) for i in range(4)])
    loaded, _, _ = load_detector(tmp_path / "learned.pt")
    assert torch.equal(loaded.backbone.pos_embed, model.backbone.pos_embed)

"""Soft-NMS over all classes at once equals the textbook one-class-at-a-time loop, bit for bit."""

from __future__ import annotations

import pytest
import torch

from inference.nms import batched_soft_nms


def one_class(segments: torch.Tensor, scores: torch.Tensor, sigma: float = 0.5,
              min_score: float = 0.0) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian soft-NMS written plainly: take the best, decay the rest by exp(-iou²/σ), prune, repeat."""
    segs, left = segments.clone(), scores.clone()
    kept_segs, kept_scores = [], []
    while left.numel():
        best = int(torch.argmax(left))
        kept_segs.append(segs[best])
        kept_scores.append(left[best])
        others = torch.arange(left.numel()) != best
        segs, left = segs[others], left[others]
        if not left.numel():
            break
        inter = (torch.min(kept_segs[-1][1], segs[:, 1]) - torch.max(kept_segs[-1][0], segs[:, 0])).clamp(min=0)
        union = (kept_segs[-1][1] - kept_segs[-1][0]) + (segs[:, 1] - segs[:, 0]) - inter
        left = left * torch.exp(-(inter / union.clamp(min=1e-8)) ** 2 / sigma)
        segs, left = segs[left >= min_score], left[left >= min_score]
    return torch.stack(kept_segs), torch.stack(kept_scores)


def reference(segments: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor, max_keep: int
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    parts = []
    for label in torch.unique(labels):
        segs, kept = one_class(segments[labels == label], scores[labels == label])
        parts.append((segs, kept, torch.full((len(kept),), int(label))))
    segs, kept, labs = (torch.cat(p) for p in zip(*parts, strict=True))
    order = torch.argsort(kept, descending=True, stable=True)[:max_keep]
    return segs[order], kept[order], labs[order]


@pytest.mark.parametrize("seed", range(12))
def test_all_classes_at_once_equals_one_class_at_a_time(seed: int) -> None:
    g = torch.Generator().manual_seed(seed)
    n = int(torch.randint(1, 300, (1,), generator=g))
    start = torch.rand(n, generator=g) * 100
    segments = torch.stack([start, start + torch.rand(n, generator=g) * 20 + 0.1], dim=1)
    scores = torch.rand(n, generator=g)
    if seed % 3 == 0:
        scores = (scores * 4).round() / 4 + 1e-3  # many ties: the first of equals goes first
    labels = torch.randint(0, 1 + seed * 4, (n,), generator=g)
    ours = batched_soft_nms(segments, scores, labels, max_keep=150)
    for a, b in zip(ours, reference(segments, scores, labels, 150), strict=True):
        assert torch.equal(a, b)


def test_nothing_in_nothing_out() -> None:
    segs, scores, labels = batched_soft_nms(torch.zeros((0, 2)), torch.zeros(0), torch.zeros(0, dtype=torch.long))
    assert segs.shape == (0, 2) and scores.numel() == 0 and labels.numel() == 0

"""Decoding matches OpenTAD's multi-label post-processing on a hand-built window.

The reference below is written from OpenTAD's documented behaviour (pre_nms_thresh 1e-3,
pre_nms_topk 8000, per-class Gaussian soft-NMS with sigma 0.5 and min score 0, segment
lengths taken with +1e-6, nothing dropped for being short, the best max_seg_num overall),
one class and one segment at a time, so that it shares no code with inference/nms.py.
"""

from __future__ import annotations

import math

import pytest
import torch

from inference.configs import preset
from inference.head import make_points
from inference.model import Detector


def opentad_soft_nms(segs: list[list[float]], scores: list[float], sigma: float = 0.5
                     ) -> list[tuple[float, float, float]]:
    """One class: repeatedly take the highest score, decay the rest by exp(-iou²/σ), prune none."""
    left = [(s, e, p) for (s, e), p in zip(segs, scores, strict=True)]
    out = []
    while left:
        best = max(range(len(left)), key=lambda i: (left[i][2], -i))
        s0, e0, p0 = left.pop(best)
        out.append((s0, e0, p0))
        area0 = e0 - s0 + 1e-6
        decayed = []
        for s, e, p in left:
            inter = max(0.0, min(e0, e) - max(s0, s))
            iou = inter / (area0 + (e - s + 1e-6) - inter)
            decayed.append((s, e, p * math.exp(-iou * iou / sigma)))
        left = decayed
    return out


def opentad_decode(points: torch.Tensor, probs: torch.Tensor, offsets: torch.Tensor, max_keep: int
                   ) -> list[tuple[float, float, float, int]]:
    """(start, end, score, class) of one window as OpenTAD's multi-label AdaTAD config keeps them."""
    classes = probs.shape[1]
    flat = probs.flatten().tolist()
    candidates = sorted((i for i, p in enumerate(flat) if p > 1e-3), key=lambda i: -flat[i])[:8000]
    by_class: dict[int, tuple[list[list[float]], list[float]]] = {}
    for i in candidates:
        point, label = divmod(i, classes)
        pos, stride = float(points[point, 0]), float(points[point, 3])
        seg = [pos - float(offsets[point, 0]) * stride, pos + float(offsets[point, 1]) * stride]
        by_class.setdefault(label, ([], []))[0].append(seg)
        by_class[label][1].append(flat[i])
    kept = [(s, e, p, label) for label, (segs, scores) in by_class.items()
            for s, e, p in opentad_soft_nms(segs, scores)]
    return sorted(kept, key=lambda d: -d[2])[:max_keep]


def test_decode_matches_opentad_on_a_hand_built_window() -> None:
    config = preset("tiny", "none", num_classes=52)
    model = Detector(config).eval()
    points = make_points(model.steps, config.head, torch.device("cpu"))  # [P, 4]
    g = torch.Generator().manual_seed(3)
    n = points.shape[0]
    probs = torch.rand((n, 52), generator=g) * 0.2  # every (point, class) above 1e-3: > 2000 candidates
    probs[:, 7] = torch.rand(n, generator=g) * 1e-3  # one class wholly under the threshold
    offsets = torch.rand((n, 2), generator=g) * 3
    offsets[:40] = 0.01  # segments of 0.02 steps: OpenTAD keeps them
    logits = torch.logit(probs)
    splits = [len(torch.arange(0, model.steps, 2**level)) for level in range(config.head.levels)]
    per_level = lambda t: list(torch.split(t[None], splits, dim=1))  # noqa: E731 - [1, P_l, ...] per level
    masks = per_level(torch.ones(n, dtype=torch.bool))
    ours = model.decode(per_level(logits), per_level(offsets), masks, max_keep=8000)[0]
    expected = opentad_decode(points, probs, offsets, max_keep=8000)
    assert len(expected) > 2000 and len(ours.scores) == len(expected)
    assert ours.scores.tolist() == pytest.approx([d[2] for d in expected], rel=1e-4, abs=1e-7)
    assert ours.labels.tolist()[:200] == [d[3] for d in expected][:200]
    assert 7 not in ours.labels.tolist()
    short = (ours.segments[:, 1] - ours.segments[:, 0]) < 0.05
    assert int(short.sum()) >= 40  # no short-segment filter


def test_soft_nms_prunes_no_score() -> None:
    from inference.nms import batched_soft_nms

    segs = torch.tensor([[0.0, 10.0]] * 40)  # identical: each round decays the rest by e^-2
    _, scores, _ = batched_soft_nms(segs, torch.full((40,), 0.9), torch.zeros(40, dtype=torch.long), max_keep=100)
    assert len(scores) == 40 and float(scores[-1]) < 1e-3  # OpenTAD's min score 0: kept however low

"""Per-class Gaussian soft-NMS in plain torch (no compiled extension, no torchvision).

All classes are suppressed at once: each round takes the best remaining segment of every class
and decays that class's others, so a validation clip with 52 classes costs as many rounds as
its busiest class keeps, not the sum over classes (it kept validation from being NMS-bound).
"""

from __future__ import annotations

import torch

MIN_SCORE = 0.0  # OpenTAD's batched_nms default: soft-NMS decays scores but prunes none


def segment_iou(segment: torch.Tensor, others: torch.Tensor) -> torch.Tensor:
    """tIoU of segments [..., 2] with others [..., N, 2] (one segment per row of others) -> [..., N]."""
    start, end = segment[..., 0:1], segment[..., 1:2]
    inter = (torch.min(end, others[..., 1]) - torch.max(start, others[..., 0])).clamp(min=0)
    union = (end - start) + (others[..., 1] - others[..., 0]) - inter
    return inter / union.clamp(min=1e-8)


def soft_nms_1d(segments: torch.Tensor, scores: torch.Tensor, sigma: float = 0.5,
                min_score: float = MIN_SCORE) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian soft-NMS of one class: scores decay by exp(-iou²/σ); returns kept (segments, scores)."""
    labels = torch.zeros(scores.shape, dtype=torch.long, device=scores.device)
    segs, kept, _ = batched_soft_nms(segments, scores, labels, sigma, min_score, max_keep=scores.numel())
    return segs, kept


def _by_class(segments: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """Padded per-class tables: class values [C], segments [C, K, 2], scores [C, K], present [C, K]."""
    classes, inverse, counts = torch.unique(labels, return_inverse=True, return_counts=True)
    order = torch.argsort(inverse, stable=True)  # class by class, each in its input order
    first = torch.cumsum(counts, 0) - counts
    slot = torch.empty_like(inverse)
    slot[order] = torch.arange(len(order), device=labels.device) - first[inverse[order]]
    c, k = len(classes), int(counts.max())
    segs = segments.new_zeros((c, k, 2))
    table = scores.new_zeros((c, k))
    present = torch.zeros((c, k), dtype=torch.bool, device=scores.device)
    segs[inverse, slot], table[inverse, slot], present[inverse, slot] = segments, scores, True
    return classes, segs, table, present


def batched_soft_nms(segments: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor,
                     sigma: float = 0.5, min_score: float = MIN_SCORE,
                     max_keep: int = 200) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Soft-NMS per class; keeps the max_keep best overall, sorted by score (descending)."""
    if not scores.numel():
        return segments.new_zeros((0, 2)), scores.new_zeros((0,)), labels.new_zeros((0,))
    classes, segs, table, alive = _by_class(segments, scores, labels)
    rows = torch.arange(len(classes), device=scores.device)
    picked_segs, picked_scores, picked = [], [], []
    while bool(alive.any()):
        has = alive.any(dim=1)  # [C]
        best = torch.where(alive, table, float("-inf")).argmax(dim=1)  # first of the highest, per class
        picked_segs.append(segs[rows, best])
        picked_scores.append(table[rows, best])
        picked.append(has)
        alive[rows, best] = False
        decay = torch.exp(-segment_iou(segs[rows, best], segs) ** 2 / sigma)  # [C, K]
        table = torch.where(alive, table * decay, table)
        if min_score > 0:  # only scores that no longer count are pruned
            alive &= table >= min_score
    kept = torch.stack(picked, dim=1)  # [C, rounds], class by class in the order picked
    out_segs = torch.stack(picked_segs, dim=1)[kept]
    out_scores = torch.stack(picked_scores, dim=1)[kept]
    out_labels = classes[:, None].expand_as(kept)[kept]
    order = torch.argsort(out_scores, descending=True, stable=True)[:max_keep]
    return out_segs[order], out_scores[order], out_labels[order]

"""Per-class Gaussian soft-NMS in plain torch (no compiled extension, no torchvision)."""

from __future__ import annotations

import torch


def segment_iou(segment: torch.Tensor, others: torch.Tensor) -> torch.Tensor:
    """tIoU of one segment [2] with each of others [N, 2] -> [N]."""
    inter = (torch.min(segment[1], others[:, 1]) - torch.max(segment[0], others[:, 0])).clamp(min=0)
    union = (segment[1] - segment[0]) + (others[:, 1] - others[:, 0]) - inter
    return inter / union.clamp(min=1e-8)


def soft_nms_1d(segments: torch.Tensor, scores: torch.Tensor, sigma: float = 0.5,
                min_score: float = 1e-3) -> tuple[torch.Tensor, torch.Tensor]:
    """Gaussian soft-NMS of one class: scores decay by exp(-iou²/σ); returns kept (segments, scores)."""
    segs, remaining = segments.clone(), scores.clone()
    kept_segs: list[torch.Tensor] = []
    kept_scores: list[torch.Tensor] = []
    while remaining.numel():
        best = int(torch.argmax(remaining))
        kept_segs.append(segs[best])
        kept_scores.append(remaining[best])
        keep = torch.ones_like(remaining, dtype=torch.bool)
        keep[best] = False
        segs, remaining = segs[keep], remaining[keep]
        if not remaining.numel():
            break
        remaining = remaining * torch.exp(-segment_iou(kept_segs[-1], segs) ** 2 / sigma)
        alive = remaining >= min_score  # only scores that no longer count are pruned
        segs, remaining = segs[alive], remaining[alive]
    if not kept_segs:
        return segments.new_zeros((0, 2)), scores.new_zeros((0,))
    return torch.stack(kept_segs), torch.stack(kept_scores)


def batched_soft_nms(segments: torch.Tensor, scores: torch.Tensor, labels: torch.Tensor,
                     sigma: float = 0.5, min_score: float = 1e-3,
                     max_keep: int = 200) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Soft-NMS per class; keeps the max_keep best overall, sorted by score (descending)."""
    out_s, out_p, out_l = [], [], []
    for label in torch.unique(labels):
        chosen = labels == label
        segs, kept = soft_nms_1d(segments[chosen], scores[chosen], sigma, min_score)
        out_s.append(segs)
        out_p.append(kept)
        out_l.append(torch.full((kept.numel(),), int(label), dtype=labels.dtype, device=labels.device))
    if not out_s:
        return segments.new_zeros((0, 2)), scores.new_zeros((0,)), labels.new_zeros((0,))
    segs, probs, labs = torch.cat(out_s), torch.cat(out_p), torch.cat(out_l)
    order = torch.argsort(probs, descending=True, stable=True)[:max_keep]
    return segs[order], probs[order], labs[order]

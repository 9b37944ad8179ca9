"""Losses of the ActionFormer head: sigmoid focal loss (classification) and DIoU (regression)."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def sigmoid_focal_loss(logits: torch.Tensor, targets: torch.Tensor, alpha: float = 0.25,
                       gamma: float = 2.0) -> torch.Tensor:
    """Summed focal loss of independent sigmoids (multi-label); logits and targets of one shape."""
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, targets, reduction="none")
    p_t = p * targets + (1 - p) * (1 - targets)
    loss = ce * (1 - p_t) ** gamma
    if alpha >= 0:
        loss = (alpha * targets + (1 - alpha) * (1 - targets)) * loss
    return loss.sum()


def diou_loss_1d(pred: torch.Tensor, target: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """Summed 1-D distance-IoU loss of offsets (left, right) >= 0 from the same point: [N, 2] each."""
    lp, rp = pred[:, 0], pred[:, 1]
    lg, rg = target[:, 0], target[:, 1]
    inter = torch.min(lp, lg) + torch.min(rp, rg)
    union = (lp + rp) + (lg + rg) - inter
    iou = inter / union.clamp(min=eps)
    enclosing = torch.max(lp, lg) + torch.max(rp, rg)
    centre_gap = 0.5 * (rp - lp - rg + lg)  # distance between the two segments' centres
    return (1.0 - iou + (centre_gap / enclosing.clamp(min=eps)) ** 2).sum()


class LossNormaliser:
    """Divisor of the summed losses: the positive points of the batch, or their moving average.

    "ema" follows ActionFormer (start 100, momentum 0.9). Under torch.distributed the count is the
    sum over all processes and the divisor is shared out among them, so that DDP's averaged
    gradients equal those of one process seeing the whole global batch.
    """

    def __init__(self, mode: str = "batch", start: float = 100.0, momentum: float = 0.9) -> None:
        if mode not in ("batch", "ema"):
            raise ValueError(f"unknown loss normaliser {mode!r} (batch or ema)")
        self.mode, self.value, self.momentum = mode, start, momentum

    def __call__(self, positives: torch.Tensor) -> float:
        """The divisor for this step, given the number of positive points (a 0-d tensor)."""
        count, world = positives.detach().float().clone(), 1
        if torch.distributed.is_available() and torch.distributed.is_initialized():
            torch.distributed.all_reduce(count)
            world = torch.distributed.get_world_size()
        count_value = max(float(count), 1.0)
        if self.mode == "batch":
            return count_value / world
        self.value = self.momentum * self.value + (1 - self.momentum) * count_value
        return self.value / world

    def state_dict(self) -> dict[str, float | str]:
        """What resume needs."""
        return {"mode": self.mode, "value": self.value, "momentum": self.momentum}

    def load_state_dict(self, state: dict[str, float | str]) -> None:
        """Inverse of state_dict."""
        self.value = float(state["value"])

"""The DSTA detector: VideoMAE backbone with adapters + ActionFormer head, its loss and decoding."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from inference.backbone import VideoMAE
from inference.configs import ModelConfig
from inference.head import ActionFormerHead, assign_targets, make_points
from inference.losses import diou_loss_1d, sigmoid_focal_loss
from inference.nms import batched_soft_nms
from inference.pose.backbone import PoseEncoder
from inference.video import normalise

MIB = 2**20  # the MMAD paper counts parameters in units of 2**20
PAPER_TABLE4 = {"full": 20.89, "standard": 0.85, "tia": 0.96, "dsta": 1.80}  # VideoMAE-S, in MIB

PRE_NMS_THRESH = 1e-3  # OpenTAD's pre_nms_thresh
PRE_NMS_TOPK = 8000  # OpenTAD's pre_nms_topk for its multi-label AdaTAD configs


@dataclass(frozen=True)
class Detections:
    """Decoded detections of one window, positions in level-0 feature steps of that window."""

    segments: torch.Tensor  # [K, 2]
    scores: torch.Tensor  # [K]
    labels: torch.Tensor  # [K]


class Detector(nn.Module):
    """frames -> VideoMAE features [B, D, T/tubelet] -> pyramid -> per-level logits and offsets."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        steps, levels = config.steps_for(config.window_frames), config.head.levels
        if config.window_frames % config.backbone.chunk_frames or steps % 2 ** (levels - 1):
            raise ValueError(f"window of {config.window_frames} frames: needs a multiple of "
                             f"{config.backbone.chunk_frames} frames and of {2 ** (levels - 1)} feature steps")
        self.config = config
        self.backbone = _backbone(config)
        self.head = ActionFormerHead(config.backbone.embed_dim, config.num_classes, config.head)
        self._set_trainable()

    def _set_trainable(self) -> None:
        kind = self.config.adapter.kind
        for name, param in self.backbone.named_parameters():
            param.requires_grad = kind == "full" or ".adapter." in name
        if isinstance(self.backbone, VideoMAE) and not self.config.backbone.final_norm:
            # an unused norm has no gradient (DDP would wait for one)
            for param in self.backbone.norm.parameters():
                param.requires_grad = False

    def pretrained_weight(self, name: str) -> bool:
        """Whether a parameter is a pretrained backbone weight (fine-tuned at the lower lr)."""
        return (self.config.backbone.kind == "videomae" and name.startswith("backbone.")
                and ".adapter." not in name)

    @property
    def steps(self) -> int:
        """Level-0 feature steps of one window."""
        return self.config.steps_for(self.config.window_frames)

    def forward(self, frames: torch.Tensor, valid_steps: torch.Tensor
                ) -> tuple[list[torch.Tensor], list[torch.Tensor], list[torch.Tensor]]:
        """frames: uint8 [B, T, H, W, 3] (or pose features [B, T, F]), valid_steps: [B]
        -> per level logits, offsets, masks."""
        if self.config.backbone.kind == "pose":
            feats = self.backbone(frames.float(), valid_steps)  # [B, D, T/tubelet]
            mask = torch.arange(feats.shape[-1], device=feats.device)[None] < valid_steps[:, None]
            out: tuple[list[torch.Tensor], list[torch.Tensor], list[torch.Tensor]] = self.head(feats, mask)
            return out
        video = normalise(frames)  # [B, 3, T, H, W]
        if self.config.adapter.kind == "none":
            with torch.no_grad():  # frozen features: no graph through the backbone
                feats = self.backbone(video)
        else:
            feats = self.backbone(video)  # [B, D, T/tubelet]
        if self.config.interpolate:  # AdaTAD: linear interpolation to one step per sampled frame
            feats = F.interpolate(feats, size=video.shape[2], mode="linear", align_corners=False)  # [B, D, T]
        steps = feats.shape[-1]
        mask = torch.arange(steps, device=feats.device)[None] < valid_steps[:, None]  # [B, steps]
        outputs: tuple[list[torch.Tensor], list[torch.Tensor], list[torch.Tensor]] = self.head(feats.float(), mask)
        return outputs

    def loss(self, logits: list[torch.Tensor], offsets: list[torch.Tensor], masks: list[torch.Tensor],
             targets: list[tuple[torch.Tensor, torch.Tensor]],
             normaliser: Callable[[torch.Tensor], float] | None = None) -> dict[str, torch.Tensor]:
        """Focal + DIoU loss over the normaliser (default: this batch's positive points); targets in steps."""
        points = make_points(self.steps, self.config.head, logits[0].device)
        all_logits = torch.cat(logits, dim=1).float()  # [B, P, C]
        all_offsets = torch.cat(offsets, dim=1).float()  # [B, P, 2]
        valid = torch.cat(masks, dim=1)  # [B, P]
        cls_t, reg_t = zip(*(assign_targets(points, s, lab, self.config.num_classes,
                                            self.config.head.centre_radius) for s, lab in targets), strict=True)
        cls_targets, reg_targets = torch.stack(cls_t), torch.stack(reg_t)
        positive = (cls_targets.sum(-1) > 0) & valid
        divisor = max(int(positive.sum()), 1) if normaliser is None else normaliser(positive.sum())
        cls_loss = sigmoid_focal_loss(all_logits[valid], cls_targets[valid]) / divisor
        if positive.any():
            reg_loss = diou_loss_1d(all_offsets[positive], reg_targets[positive]) / divisor
        else:
            reg_loss = all_offsets.sum() * 0.0
        return {"cls": cls_loss, "reg": reg_loss, "total": cls_loss + reg_loss}

    @torch.no_grad()
    def decode(self, logits: list[torch.Tensor], offsets: list[torch.Tensor], masks: list[torch.Tensor],
               pre_nms_thresh: float = PRE_NMS_THRESH, pre_nms_topk: int = PRE_NMS_TOPK, sigma: float = 0.5,
               max_keep: int = 200) -> list[Detections]:
        """Scores above the threshold -> segments -> per-class Gaussian soft-NMS, for each video.

        As OpenTAD's multi-label AdaTAD post-processing: the 8000 best (point, class) scores above
        1e-3 go to soft-NMS, short segments included, and soft-NMS prunes nothing (min score 0).
        """
        points = make_points(self.steps, self.config.head, logits[0].device)
        probs = torch.sigmoid(torch.cat(logits, dim=1).float())  # [B, P, C]
        all_offsets = torch.cat(offsets, dim=1).float()
        valid = torch.cat(masks, dim=1)
        results = []
        for b in range(probs.shape[0]):
            p = probs[b] * valid[b, :, None]
            flat = p.flatten()
            keep = torch.nonzero(flat > pre_nms_thresh).squeeze(1)
            keep = keep[torch.argsort(flat[keep], descending=True, stable=True)[:pre_nms_topk]]
            point, label = keep // p.shape[1], keep % p.shape[1]
            pos, stride = points[point, 0], points[point, 3]
            segs = torch.stack([pos - all_offsets[b, point, 0] * stride,
                                pos + all_offsets[b, point, 1] * stride], dim=1)
            segs, scores, labels = batched_soft_nms(segs, flat[keep], label, sigma=sigma, max_keep=max_keep)
            results.append(Detections(segs, scores, labels))
        return results


def _backbone(config: ModelConfig) -> VideoMAE | PoseEncoder:
    """VideoMAE with its adapters, or the pose encoder."""
    if config.backbone.kind == "pose":
        return PoseEncoder(config.backbone)
    return VideoMAE(config.backbone, config.adapter)


def input_dtype(config: ModelConfig) -> torch.dtype:
    """uint8 pixels, or float pose features."""
    return torch.float32 if config.backbone.kind == "pose" else torch.uint8


def step_to_frame(steps: torch.Tensor, window_start: int, config: ModelConfig) -> torch.Tensor:
    """Level-0 feature positions of a window starting at sampled frame window_start -> decoded frames."""
    centre = _step_centre(config)
    return window_start * config.frame_stride + steps * config.frames_per_step + centre


def frame_to_step(frames: torch.Tensor, window_start: int, config: ModelConfig) -> torch.Tensor:
    """Inverse of step_to_frame."""
    centre = _step_centre(config)
    return (frames - window_start * config.frame_stride - centre) / config.frames_per_step


def _step_centre(config: ModelConfig) -> float:
    """Decoded frames from a step's first sampled frame to where the step sits (its frames' centre)."""
    if config.interpolate:  # interpolated step i lies exactly on sampled frame i
        return 0.0
    return (config.backbone.tubelet - 1) * config.frame_stride / 2


def count_parameters(model: Detector) -> dict[str, int]:
    """Parameter counts: backbone (without adapters), adapters, head, total and trainable."""
    adapters = sum(p.numel() for n, p in model.backbone.named_parameters() if ".adapter." in n)
    backbone = sum(p.numel() for n, p in model.backbone.named_parameters() if ".adapter." not in n)
    head = sum(p.numel() for p in model.head.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return {"backbone": backbone, "adapters": adapters, "head": head,
            "total": backbone + adapters + head, "trainable": trainable,
            "trainable_backbone": trainable - head}

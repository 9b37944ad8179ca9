"""Model and training settings of the DSTA detector, with the named presets the CLI offers."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

ADAPTERS = ("dsta", "tia", "standard", "none", "full")
DSTA_VARIANTS = ("paper-count", "printed")


@dataclass(frozen=True)
class BackboneConfig:
    """VideoMAE ViT shape (patch 16, tubelet 2, no CLS token)."""

    embed_dim: int = 384
    depth: int = 12
    num_heads: int = 6
    mlp_ratio: float = 4.0
    patch_size: int = 16
    tubelet: int = 2
    img_size: int = 160
    chunk_frames: int = 16  # the ViT sees the window in chunks of this many frames (AdaTAD)
    drop_path: float = 0.0  # stochastic depth of the (frozen) blocks, rising linearly to this rate
    final_norm: bool = True  # the pretrained last LayerNorm (fc_norm) on the features
    kind: str = "videomae"  # or "pose": landmark features per frame (inference/pose/backbone.py)
    in_features: int = 0  # pose only: features per frame

    def input_shape(self) -> tuple[int, ...]:
        """Shape of one sampled frame of input: RGB pixels, or pose features."""
        return (self.in_features,) if self.kind == "pose" else (self.img_size, self.img_size, 3)


@dataclass(frozen=True)
class AdapterConfig:
    """Which adapter sits after the FFN residual of every block, and its shape."""

    kind: str = "dsta"  # one of ADAPTERS
    ratio: float = 0.25  # bottleneck = ratio * embed_dim
    temporal_kernel: int = 3
    spatial_kernel: int = 1  # the MMAD paper states a 1x1 depth-wise kernel
    dsta_variant: str = "paper-count"  # one of DSTA_VARIANTS
    init: str = "zero-up"  # "adatad": trunc-normal down-projection and AdaTAD's TDW init; up is zero in both


@dataclass(frozen=True)
class HeadConfig:
    """ActionFormer-style projection, pyramid and heads.

    pyramid "transformer" is ActionFormer's: stem blocks of local self-attention at stride 1,
    then one attention block per further level that halves the length. "convformer" is one
    such block a level with a depth-wise convolution in place of the attention. "conv" replaces
    each block by a 1-D convolution (cheaper; checkpoints written before the transformer existed).
    """

    dim: int = 256
    levels: int = 6
    head_layers: int = 3
    kernel: int = 3
    pyramid: str = "transformer"
    attn_heads: int = 4
    attn_window: int = 19  # steps each position attends to, at its own level; 0: global attention
    stem_blocks: int = 2
    proj_layers: int = 2  # convolutions of the projection before the pyramid
    drop_path: float = 0.0  # drop-path of the pyramid's attention and MLP branches (ActionFormer's)
    regression_ranges: tuple[tuple[float, float], ...] = (
        (0, 4), (4, 8), (8, 16), (16, 32), (32, 64), (64, 10_000),
    )
    centre_radius: float = 1.5
    prior_prob: float = 0.01


@dataclass(frozen=True)
class ModelConfig:
    """Everything needed to rebuild the network (stored in every checkpoint)."""

    name: str = "vit-s"
    backbone: BackboneConfig = field(default_factory=BackboneConfig)
    adapter: AdapterConfig = field(default_factory=AdapterConfig)
    head: HeadConfig = field(default_factory=HeadConfig)
    num_classes: int = 52
    window_frames: int = 256  # sampled frames per window (a multiple of chunk_frames and 2**levels*tubelet)
    frame_stride: int = 1  # take every n-th decoded frame
    dropout: float = 0.0
    interpolate: bool = False  # features linearly interpolated to one step per sampled frame

    @property
    def frames_per_step(self) -> int:
        """Decoded frames covered by one level-0 feature step."""
        return self.frame_stride * (1 if self.interpolate else self.backbone.tubelet)

    def steps_for(self, frames: int) -> int:
        """Level-0 feature steps of `frames` sampled frames (a partial tubelet counts)."""
        return frames if self.interpolate else -(-frames // self.backbone.tubelet)

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form for checkpoints."""
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> ModelConfig:
        """Inverse of to_dict."""
        head = dict(data["head"])
        head.setdefault("pyramid", "conv")  # checkpoints from before the choice existed
        head["regression_ranges"] = tuple(tuple(r) for r in head["regression_ranges"])
        return ModelConfig(
            name=data["name"],
            backbone=BackboneConfig(**data["backbone"]),
            adapter=AdapterConfig(**data["adapter"]),
            head=HeadConfig(**head),
            num_classes=data["num_classes"],
            window_frames=data["window_frames"],
            frame_stride=data["frame_stride"],
            dropout=data.get("dropout", 0.0),
            interpolate=data.get("interpolate", False),
        )


@dataclass(frozen=True)
class TrainConfig:
    """The paper's recipe: AdamW, warm-up + cosine, EMA, early stop on validation mAP."""

    epochs: int = 30
    batch_size: int = 2
    lr: float = 2e-4  # adapters, projection and head
    backbone_lr: float = 2e-5  # only used by full fine-tuning
    weight_decay: float = 0.05
    warmup_epochs: float = 2.0
    ema_decay: float = 0.999
    patience: int = 10  # epochs without a better validation mAP before stopping
    seed: int = 0
    clip_grad: float = 1.0
    amp: bool = True  # mixed precision, CUDA only
    amp_dtype: str = "auto"  # bfloat16 where the GPU has it, else float16 with a gradient scaler (precision.py)
    checkpointing: bool = True  # activation checkpointing, CUDA only
    eval_every: int = 1
    recipe: str = "plain"  # the preset these settings came from (inference.recipe)
    adapter_lr: float | None = None  # adapters' own learning rate (None: lr)
    decay_all: bool = True  # False: no weight decay on biases, norms and scales
    loss_normaliser: str = "batch"  # "batch": positives of each batch; "ema": their moving average
    augment: bool = False  # training augmentation (inference.augment); False: test-time centre crop
    workers: int = 0  # DataLoader worker processes
    val_max_keep: int = 8000  # detections per clip at validation: OpenTAD's result-file cap (evaluate.RESULT_CAP)
    checkpoint_every_s: float = 30.0  # last.pt at most this often, and whenever the run ends (LastCheckpoint)


def window_unit(config: ModelConfig) -> int:
    """The sampled frames a window must be a multiple of: whole ViT chunks and whole top-level steps."""
    per_step = 1 if config.interpolate else config.backbone.tubelet
    return math.lcm(config.backbone.chunk_frames, 2 ** (config.head.levels - 1) * per_step)


def fit_window(config: ModelConfig, longest_frames: int) -> ModelConfig:
    """The config with the smallest window that holds the longest clip (decoded frames) whole."""
    unit = window_unit(config)
    sampled = -(-max(longest_frames, 1) // config.frame_stride)
    return replace(config, window_frames=unit * -(-sampled // unit))


def with_window(config: ModelConfig, window: int) -> ModelConfig:
    """The config with an explicit window; ValueError when it is no multiple of window_unit."""
    unit = window_unit(config)
    if window <= 0 or window % unit:
        raise ValueError(f"--window {window}: must be a positive multiple of {unit} sampled frames for {config.name}")
    return replace(config, window_frames=window)


_BACKBONES = {
    "tiny": BackboneConfig(embed_dim=64, depth=2, num_heads=2, img_size=64, chunk_frames=8),
    "vit-s": BackboneConfig(embed_dim=384, depth=12, num_heads=6),
    "vit-b": BackboneConfig(embed_dim=768, depth=12, num_heads=12),
    "vit-l": BackboneConfig(embed_dim=1024, depth=24, num_heads=16),
}
PRESETS = tuple(_BACKBONES)
BACKBONES = ("videomae", "pose")


def pose_preset(num_classes: int = 52, in_features: int = 187, **overrides: Any) -> ModelConfig:
    """The pose detector: landmark features (two frames a step) under a small ActionFormer head."""
    # every 2nd frame, two sampled frames a step (133 ms at 30 fps), 256 frames a window; small
    # widths. The convformer pyramid (ActionFormer's block, a depth-wise convolution in place of
    # the attention) scored about as the transformer pyramid across folds and seeds (+6 pooled,
    # +4 fold-mean AVG over the plain conv pyramid) at 1.5x the conv pyramid's step, where the
    # transformer's costs 2.1x: on a CPU these small steps cost what their op count does.
    config = ModelConfig(
        name="pose", backbone=BackboneConfig(kind="pose", in_features=in_features, embed_dim=64, depth=2,
                                             num_heads=2, img_size=0, chunk_frames=2),
        adapter=AdapterConfig(kind="full"), head=HeadConfig(dim=64, head_layers=2, pyramid="convformer"),
        num_classes=num_classes, window_frames=256, frame_stride=2)
    return replace(config, **overrides) if overrides else config


def preset(name: str, adapter: str = "dsta", num_classes: int = 52, **overrides: Any) -> ModelConfig:
    """A named model configuration (tiny | vit-s | vit-b | vit-l) with the chosen adapter."""
    if name not in _BACKBONES:
        raise ValueError(f"unknown model config {name!r} (known: {', '.join(PRESETS)})")
    if adapter not in ADAPTERS:
        raise ValueError(f"unknown adapter {adapter!r} (known: {', '.join(ADAPTERS)})")
    if name == "tiny":
        config = ModelConfig(
            name=name, backbone=_BACKBONES[name], adapter=AdapterConfig(kind=adapter),
            head=HeadConfig(dim=64, head_layers=2), num_classes=num_classes, window_frames=128,
            frame_stride=2,
        )
    else:
        config = ModelConfig(name=name, backbone=_BACKBONES[name], adapter=AdapterConfig(kind=adapter),
                             num_classes=num_classes, window_frames=512 if name != "vit-l" else 384)
    return replace(config, **overrides) if overrides else config

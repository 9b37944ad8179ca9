"""Training recipes: "adatad" (OpenTAD's multi-label AdaTAD settings) and "plain" (cheaper on a CPU).

The paper builds on AdaTAD; where it is silent, OpenTAD's MultiTHUMOS AdaTAD configuration with
VideoMAE-S at 160x160 is the reference. "plain" keeps the settings this project trained with
before: every frame, one step per tubelet, a 256-d head with local attention, one learning rate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from annotator.errors import InputError
from inference.configs import ModelConfig, TrainConfig, fit_window, pose_preset, preset, with_window

RECIPES = ("adatad", "plain")
POSE_LR = 1e-3  # the pose net's learning rate: the RGB recipes tune a ViT, not this small net


@dataclass(frozen=True)
class ModelChoice:
    """What a user picks for a run: backbone, size, adapter, recipe, window and backbone weights."""

    backbone: str = "pose"  # "pose" (landmarks) or "videomae" (RGB frames)
    config: str = "vit-s"  # with videomae: tiny | vit-s | vit-b | vit-l
    adapter: str = "dsta"
    recipe: str | None = None  # None: default_recipe(config)
    dsta_variant: str = "paper-count"
    pyramid: str = "transformer"
    window: int | None = None  # sampled frames; None: fitted to the longest clip (vit-*) or the preset's
    pretrained: str | None = None  # local VideoMAE weights
    random_backbone: bool = False  # a vit-* adapter run without weights, asked for on purpose


def schedule(epochs: int, batch_size: int = 2, seed: int = 0, workers: int = 0) -> TrainConfig:
    """A run's base training settings before its recipe: a short run warms up over a quarter of it."""
    return TrainConfig(epochs=epochs, batch_size=batch_size, seed=seed, workers=max(workers, 0),
                       warmup_epochs=min(2.0, max(epochs / 4, 0.25)))


def training_configs(choice: ModelChoice, num_classes: int, train: TrainConfig,
                     longest_frames: int | None = None, lr: float | None = None) -> tuple[ModelConfig, TrainConfig]:
    """The model and training settings of a run, assembled the one way the app and the CLI share.

    longest_frames (decoded frames of the longest clip of the data) fits a vit-* window to the
    clips: the smallest whole number of chunks that holds it, where the preset's window would be
    mostly padding. InputError for a choice that cannot train (weights for pose, a vit-* adapter
    run without pretrained weights, a window of the wrong size).
    """
    if choice.backbone == "pose":
        if choice.pretrained:
            raise InputError(choice.pretrained, None, "pretrained weights are for a VideoMAE backbone, not pose")
        # augmentation (inference/pose/augment.py): held-out AVG 28.9 -> 29.9 %, fold mean 38.9 -> 41.7 %
        # (bench_pose.py --augment-compare, 4 folds x 2 seeds)
        model, train = pose_preset(num_classes=num_classes), replace(train, lr=POSE_LR, augment=True)
    else:
        check_weights(choice)
        try:
            model = preset(choice.config, choice.adapter, num_classes=num_classes)
        except ValueError as exc:
            raise InputError("--config", None, str(exc)) from None
        model = replace(model, adapter=replace(model.adapter, dsta_variant=choice.dsta_variant),
                        head=replace(model.head, pyramid=choice.pyramid))
        model, train = apply_recipe(choice.recipe or default_recipe(choice.config), model, train)
        if choice.window is None and longest_frames and choice.config.startswith("vit-"):
            model = fit_window(model, longest_frames)
    if choice.window is not None:
        try:
            model = with_window(model, choice.window)
        except ValueError as exc:
            raise InputError("--window", None, str(exc)) from None
    return model, (train if lr is None else replace(train, lr=lr))


def check_weights(choice: ModelChoice) -> None:
    """Refuse a vit-* adapter run on a random frozen ViT unless asked for (--random-backbone)."""
    frozen = choice.config.startswith("vit-") and choice.adapter != "full"
    if frozen and not choice.pretrained and not choice.random_backbone:
        raise InputError("--pretrained", None, f"a {choice.config} {choice.adapter} run trains adapters on a frozen "
                         "ViT: give its VideoMAE weights (--pretrained FILE), or --random-backbone to train on a "
                         "random one anyway")


def default_recipe(config_name: str) -> str:
    """AdaTAD's recipe for the ViT configs, the plain one for the tiny test config."""
    return "adatad" if config_name.startswith("vit-") else "plain"


def apply_recipe(name: str, model: ModelConfig, train: TrainConfig) -> tuple[ModelConfig, TrainConfig]:
    """The model and training settings of the named recipe, starting from a preset."""
    if name == "plain":
        return model, replace(train, recipe=name)
    if name != "adatad":
        raise ValueError(f"unknown recipe {name!r} (known: {', '.join(RECIPES)})")
    return adatad_model(model), adatad_train(train)


def adatad_model(model: ModelConfig) -> ModelConfig:
    """AdaTAD's backbone, sampling and head settings on top of a preset's shapes."""
    backbone = replace(
        model.backbone,
        drop_path=0.1,  # AdaTAD: drop_path_rate 0.1 in the ViT blocks, frozen or not
        final_norm=False,  # AdaTAD returns the feature map before any final norm
    )
    adapter = replace(model.adapter, init="adatad")  # AdaTAD: trunc-normal(0.02) down, zero up
    head = replace(
        model.head,
        dim=512 if model.name != "tiny" else model.head.dim,  # ActionFormer's 512 channels
        attn_window=0,  # AdaTAD's multi-label config: n_mha_win_size -1, global attention
        proj_layers=3, stem_blocks=0,  # AdaTAD's projection arch (3, 0, 5); 5 levels down, 6 in all
        drop_path=0.1,  # ActionFormer's path_pdrop 0.1 in the projection's blocks
    )
    return replace(
        model, backbone=backbone, adapter=adapter, head=head,
        frame_stride=4,  # AdaTAD: feature_stride 4, VideoMAE's 16x4 pretraining sampling
        interpolate=True,  # AdaTAD: tubelet features linearly interpolated to the window's frames
    )


def adatad_train(train: TrainConfig) -> TrainConfig:
    """AdaTAD's optimiser, loss normaliser and augmentation settings."""
    return replace(
        train, recipe="adatad",
        lr=1e-4,  # AdaTAD: the head's learning rate
        adapter_lr=4e-4,  # AdaTAD: custom lr for parameters named "adapter"
        decay_all=False,  # OpenTAD's paramwise groups: no decay on biases, norms and scales
        loss_normaliser="ema",  # ActionFormer: loss_normalizer 100, momentum 0.9
        augment=True,  # AdaTAD's training pipeline: crops, flips, colour jitter, temporal crop
    )

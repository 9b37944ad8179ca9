"""Training recipes: "adatad" (OpenTAD's multi-label AdaTAD settings) and "plain" (cheaper on a CPU).

The paper builds on AdaTAD; where it is silent, OpenTAD's MultiTHUMOS AdaTAD configuration with
VideoMAE-S at 160x160 is the reference. "plain" keeps the settings this project trained with
before: every frame, one step per tubelet, a 256-d head with local attention, one learning rate.
"""

from __future__ import annotations

from dataclasses import replace

from inference.configs import ModelConfig, TrainConfig

RECIPES = ("adatad", "plain")


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

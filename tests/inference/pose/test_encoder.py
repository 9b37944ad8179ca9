"""The pose encoder: standardised input from the training clips, carried by checkpoints; padding ignored."""

from __future__ import annotations

import numpy as np
import torch

from inference.configs import pose_preset
from inference.model import Detector
from inference.pose.backbone import MIN_STD, PoseEncoder

CONFIG = pose_preset(num_classes=5, in_features=4, window_frames=64)


def test_fit_sets_each_features_mean_and_spread_with_a_floor() -> None:
    rng = np.random.default_rng(0)
    clips = [np.c_[rng.normal(3.0, 2.0, (n, 1)), np.full((n, 1), 0.5), rng.normal(0, 1, (n, 2))] for n in (40, 70)]
    encoder = PoseEncoder(CONFIG.backbone)
    encoder.fit_normalisation(clips)
    every = np.concatenate(clips)
    assert np.allclose(encoder.feature_mean.numpy(), every.mean(0), atol=1e-6)
    assert np.isclose(float(encoder.feature_std[0]), every[:, 0].std(), atol=1e-5)
    assert np.isclose(float(encoder.feature_std[1]), MIN_STD)  # a constant feature is not divided by zero


def test_padding_after_the_clip_does_not_change_its_features() -> None:
    torch.manual_seed(0)
    encoder = PoseEncoder(CONFIG.backbone).eval()
    encoder.fit_normalisation([np.random.default_rng(1).normal(2.0, 3.0, (50, 4))])
    clip = torch.randn(1, 30, 4) * 3 + 2
    alone = encoder(clip, torch.tensor([15]))  # 30 frames, tubelet 2: 15 steps
    padded = encoder(torch.cat([clip, torch.randn(1, 34, 4) * 50], dim=1), torch.tensor([15]))
    assert torch.allclose(alone[..., :14], padded[..., :14], atol=1e-5)  # the last step sees its right edge


def test_checkpoints_carry_the_statistics_and_old_ones_load_as_identity() -> None:
    model = Detector(CONFIG)
    model.backbone.fit_normalisation([np.full((10, 4), 7.0), np.zeros((10, 4))])  # type: ignore[operator]
    state = model.state_dict()
    fresh = Detector(CONFIG)
    fresh.load_state_dict(state)
    assert torch.equal(fresh.backbone.feature_mean, torch.full((4,), 3.5))
    old = {k: v for k, v in state.items() if not k.startswith("backbone.feature_")}  # before standardising
    older = Detector(CONFIG)
    older.load_state_dict(old)
    assert torch.equal(older.backbone.feature_mean, torch.zeros(4))
    assert torch.equal(older.backbone.feature_std, torch.ones(4))

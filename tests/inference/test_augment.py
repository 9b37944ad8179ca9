"""AdaTAD's augmentation: temporal crops move and drop instances, spatial crops and flips move pixels."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import torch

from inference.augment import (
    Crop,
    apply_crop,
    augment_frames,
    colour_jitter,
    draw_crop,
    kept_inside,
    temporal_crop,
    train_short_side,
)
from inference.configs import preset
from inference.data import ClipSample
from inference.loader import TrainWindows, collate
from inference.model import frame_to_step


def test_instances_less_than_three_quarters_inside_are_dropped() -> None:
    segments = np.array([[0.0, 40.0], [30.0, 70.0], [90.0, 110.0], [95.0, 200.0]])
    clipped, keep = kept_inside(segments, 10.0, 100.0, 0.75)
    # inside shares: 30/40 = 0.75 (kept), 40/40, 10/20 (dropped), 5/105 (dropped)
    assert keep.tolist() == [True, True, False, False]
    assert clipped[keep].tolist() == [[10.0, 40.0], [30.0, 70.0]]


@pytest.mark.parametrize("seed", range(20))
def test_temporal_crop_of_a_long_clip_is_one_window_keeping_an_instance(seed: int) -> None:
    rng = np.random.default_rng(seed)
    segments = np.array([[100.0, 120.0], [300.0, 330.0]])
    start, stop = temporal_crop(400, 128, segments, rng)
    assert stop - start == 128 and 0 <= start <= 400 - 128
    assert kept_inside(segments, start, stop, 0.75)[1].any()  # tries until an instance is in


@pytest.mark.parametrize("seed", range(20))
def test_temporal_crop_of_a_short_clip_keeps_90_to_100_percent(seed: int) -> None:
    start, stop = temporal_crop(100, 128, np.zeros((0, 2)), np.random.default_rng(seed))
    assert 90 <= stop - start <= 100 and 0 <= start and stop <= 100


def test_spatial_crop_and_flip_move_the_pixels() -> None:
    frames = np.zeros((3, 20, 30, 3), np.uint8)
    frames[:, 5:10, 2:4] = 255  # a bright patch near the left edge
    plain = apply_crop(frames, Crop(top=5, left=0, height=10, width=10, flip=False), 10)
    mirrored = apply_crop(frames, Crop(top=5, left=0, height=10, width=10, flip=True), 10)
    assert plain.shape == (3, 10, 10, 3)
    assert plain[:, :5, 2:4].min() == 255 and plain[:, :5, 6:].max() == 0
    assert np.array_equal(mirrored, plain[:, :, ::-1])  # the patch is now at the right edge


def test_crop_boxes_lie_inside_the_frame_and_flip_half_the_time() -> None:
    rng = np.random.default_rng(0)
    crops = [draw_crop(73, 130, rng) for _ in range(400)]
    assert all(0 <= c.top and c.top + c.height <= 73 and 0 <= c.left and c.left + c.width <= 130 for c in crops)
    assert 0.4 < np.mean([c.flip for c in crops]) < 0.6
    assert len({(c.height, c.width) for c in crops}) > 50  # random sizes, not one centre crop


def test_colour_jitter_changes_colours_not_shape() -> None:
    frames = np.random.default_rng(1).integers(0, 256, (4, 16, 16, 3), dtype=np.uint8)
    out = colour_jitter(frames, np.random.default_rng(2))
    assert out.shape == frames.shape and out.dtype == np.uint8 and not np.array_equal(out, frames)
    full = augment_frames(frames, 8, np.random.default_rng(3))
    assert full.shape == (4, 8, 8, 3)


def _windows(augment: bool) -> TrainWindows:
    config = replace(preset("tiny", "dsta", num_classes=4), frame_stride=4, interpolate=True)
    side = train_short_side(64) if augment else 64
    frames = np.random.default_rng(0).integers(0, 256, (200, side, side + 30 * augment, 3), dtype=np.uint8)
    segments = np.array([[40.0, 120.0], [400.0, 480.0], [500.0, 780.0]])  # decoded frames, stride 4
    sample = ClipSample("v", frames, 30.0, 800, segments, np.array([0, 1, 2]))
    return TrainWindows([sample], config, augment=augment, seed=5)


def test_a_window_follows_its_temporal_crop_and_is_the_same_in_any_worker() -> None:
    windows = _windows(augment=True)
    frames, valid, segs, labels = windows[0]
    again = windows[0]
    assert torch.equal(frames, again[0]) and torch.equal(segs, again[2])  # seeded by (seed, epoch, index)
    windows.epoch = 1
    assert not torch.equal(frames, windows[0][0])  # another epoch, another draw
    windows.epoch = 0
    assert frames.shape == (valid, 64, 64, 3) and 1 <= valid <= 128
    # recompute the crop: the targets are the instances' steps relative to its start, cut to it
    rng = np.random.default_rng([5, 0, 0])
    start, stop = temporal_crop(200, 128, windows.samples[0].segments / 4, rng)
    steps = frame_to_step(torch.from_numpy(windows.samples[0].segments).float(), start, windows.config)
    clipped, keep = kept_inside(steps.numpy(), 0, stop - start, 0.75)
    assert valid == stop - start
    assert torch.allclose(segs, torch.from_numpy(clipped[keep]).float())
    assert labels.tolist() == np.flatnonzero(keep).tolist()
    batch = collate([windows[0]], 128)[0]
    assert batch.shape == (1, 128, 64, 64, 3) and torch.equal(batch[0, :valid], frames)
    assert batch[0, valid:].sum() == 0  # padding after the crop


def test_without_augmentation_windows_are_the_stored_centre_crops() -> None:
    windows = _windows(augment=False)
    frames, valid, targets = collate([windows[0], windows[0]], 128)
    assert frames.shape == (2, 128, 64, 64, 3) and valid.tolist() == [128, 128] and len(targets) == 2
    stored = windows.samples[0].frames
    assert any(np.array_equal(frames[0].numpy(), stored[s : s + 128]) for s in range(0, 73))


@pytest.mark.parametrize("op", ["shear_x", "shear_y", "translate_x", "translate_y", "rotate", "posterize", "solarize",
                                "colour", "contrast", "brightness", "sharpness", "autocontrast", "equalize", "invert",
                                "cutout"])
def test_each_randaugment_operation_is_the_same_on_every_frame_of_a_clip(op: str) -> None:
    from inference.augment import randaugment_op

    frame = np.random.default_rng(1).integers(20, 250, (32, 40, 3), dtype=np.uint8)
    frames = np.stack([frame, frame, frame])  # identical frames stay identical: one draw per clip
    out = randaugment_op(frames, op, np.random.default_rng(2))
    assert out.shape == frames.shape and out.dtype == np.uint8
    assert np.array_equal(out[0], out[1]) and np.array_equal(out[0], out[2])
    assert not np.array_equal(out, frames), op  # every operation changes a textured frame


def test_randaugment_applies_two_operations_per_clip() -> None:
    from inference.augment import randaugment, randaugment_op

    frames = np.random.default_rng(1).integers(0, 255, (2, 24, 24, 3), dtype=np.uint8)
    inverted = randaugment_op(frames, "invert", np.random.default_rng(0))
    assert np.array_equal(inverted, 255 - frames)
    assert randaugment_op(frames, "posterize", np.random.default_rng(0)).max() <= 0b11100000
    outputs = {randaugment(frames, np.random.default_rng(seed)).tobytes() for seed in range(8)}
    assert len(outputs) > 4  # the draw differs from clip to clip

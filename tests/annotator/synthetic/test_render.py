"""Rendering: pixels change exactly on ground-truth frames; written clips decode exactly."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.synthetic.actions import MOTIONS, InstanceSpec
from annotator.synthetic.figure import make_look
from annotator.synthetic.render import ClipSpec, render_clip, render_frames


def _spec(instances: tuple[InstanceSpec, ...], n: int = 40, size: tuple[int, int] = (96, 96),
          clean: bool = True, fps: float = 30.0) -> ClipSpec:
    look = make_look(np.random.default_rng(3))
    return ClipSpec("S01_01_0001_L", "S01", look, fps, n, size[0], size[1], instances, seed=5, clean=clean)


@pytest.mark.parametrize("action_id", sorted(MOTIONS))
def test_rendered_pixels_move_on_exactly_the_instance_frames(action_id: int) -> None:
    spec = _spec((InstanceSpec(action_id, 8, 30),), size=(128, 96))
    still = list(render_frames(replace(spec, instances=())))
    moved = [not np.array_equal(a, b) for a, b in zip(render_frames(spec), still, strict=True)]
    assert [k for k, m in enumerate(moved) if m] == list(range(8, 31))


def test_rendering_is_deterministic_and_noise_changes_frames() -> None:
    spec = _spec((InstanceSpec(9, 5, 20),), clean=False)
    first = list(render_frames(spec))
    assert all(np.array_equal(a, b) for a, b in zip(first, render_frames(spec), strict=True))
    assert not np.array_equal(first[0], first[1])  # camera noise differs frame to frame


@pytest.mark.parametrize("fps", [30.0, 29.0])
def test_written_clip_decodes_to_its_frame_count_and_fps(tmp_path: Path, fps: float) -> None:
    spec = _spec((InstanceSpec(19, 10, 50), InstanceSpec(24, 0, 59)), n=61, size=(160, 120), clean=False, fps=fps)
    path = tmp_path / "clip.mp4"
    render_clip(path, spec)
    cap = cv2.VideoCapture(str(path))
    assert cap.get(cv2.CAP_PROP_FPS) == fps
    frames = 0
    while True:
        ok, img = cap.read()
        if not ok:
            break
        assert img.shape == (120, 160, 3)
        frames += 1
    assert frames == spec.frame_count == int(cap.get(cv2.CAP_PROP_FRAME_COUNT))

"""Render a synthetic clip: pose tracks → frames (figure, idle motion, lighting, noise) → MP4."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import cv2
import numpy as np

import annotator.media  # noqa: F401  (FFmpeg kept quiet before the first VideoWriter starts it)
from annotator.synthetic.actions import InstanceSpec, Tracks, action_tracks
from annotator.synthetic.figure import SubjectLook, draw_figure, joints, make_background, place

FOURCC = "mp4v"  # what this OpenCV build writes into .mp4 without external encoders
NOISE_BANK = 6  # distinct camera-noise images cycled through a clip


@dataclass(frozen=True, slots=True)
class ClipSpec:
    """Everything that determines a rendered clip; equal specs give identical frames."""

    video_id: str
    subject: str
    look: SubjectLook
    fps: float
    frame_count: int
    width: int
    height: int
    instances: tuple[InstanceSpec, ...]
    seed: int = 0
    clean: bool = False  # no idle motion, lighting drift, shake or noise (for exactness tests)


def _smooth_noise(rng: np.random.Generator, n: int, fps: float, knot_seconds: float) -> np.ndarray:
    """Slowly varying unit-scale noise over n frames (linear between random knots)."""
    step = max(1, int(round(knot_seconds * fps)))
    knots = rng.normal(0.0, 1.0, n // step + 2)
    return np.interp(np.arange(n), np.arange(knots.shape[0]) * step, knots)


def add_idle(tracks: Tracks, spec: ClipSpec, rng: np.random.Generator) -> None:
    """Breathing, small head drift and restless hands; not part of any action (in place)."""
    n, fps, k = spec.frame_count, spec.fps, spec.look.idle
    t = np.arange(n) / fps
    tracks["torso_dy"] += k * 0.006 * np.sin(2 * np.pi * t / rng.uniform(3.0, 4.5) + rng.uniform(0, 6.3))
    tracks["head_yaw"] += k * 0.03 * _smooth_noise(rng, n, fps, 0.8)
    tracks["head_pitch"] += k * 0.03 * _smooth_noise(rng, n, fps, 0.9)
    tracks["torso_dx"] += k * 0.004 * _smooth_noise(rng, n, fps, 1.2)
    for side in ("r", "l"):
        tracks[f"{side}_tx"] += k * 0.008 * _smooth_noise(rng, n, fps, 0.7) * (tracks[f"{side}_w"] > 0)


def clip_tracks(spec: ClipSpec) -> tuple[Tracks, np.ndarray]:
    """Pose tracks of a clip (actions plus idle motion) and the (n_instances, n) activity."""
    tracks, activity = action_tracks(spec.instances, spec.frame_count, spec.fps)
    if not spec.clean:
        add_idle(tracks, spec, np.random.default_rng([spec.seed, 1]))
    return tracks, activity


def render_frames(spec: ClipSpec) -> Iterator[np.ndarray]:
    """The clip's frames (height × width × 3 uint8 BGR), one by one."""
    rng = np.random.default_rng([spec.seed, 2])
    base = place(spec.look, spec.width, spec.height)
    background = make_background(spec.look, base)
    tracks, _ = clip_tracks(spec)
    j = joints(tracks, spec.look)
    n = spec.frame_count
    t = np.arange(n) / spec.fps
    shake_x = 0.35 * _smooth_noise(rng, n, spec.fps, 0.3)
    shake_y = 0.35 * _smooth_noise(rng, n, spec.fps, 0.3)
    gain = 1.0 + spec.look.light_amp * np.sin(2 * np.pi * t / spec.look.light_period + rng.uniform(0, 6.3))
    noise = [rng.normal(0.0, spec.look.noise_sd, background.shape).astype(np.int16) for _ in range(NOISE_BANK)]
    for i in range(n):
        img = background.copy()
        if spec.clean:
            draw_figure(img, base, spec.look, j, i)
            yield img
            continue
        frame = replace(base, cx=base.cx + shake_x[i], cy=base.cy + shake_y[i])
        draw_figure(img, frame, spec.look, j, i)
        lit = cv2.convertScaleAbs(img, alpha=float(gain[i]))
        yield np.clip(lit.astype(np.int16) + noise[int(rng.integers(NOISE_BANK))], 0, 255).astype(np.uint8)


def render_clip(path: Path, spec: ClipSpec) -> None:
    """Write the clip as an MP4 (fourcc mp4v) at spec.fps with exactly spec.frame_count frames."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*FOURCC), float(spec.fps),
                             (spec.width, spec.height))
    if not writer.isOpened():
        raise OSError(f"{path}: OpenCV cannot open a {FOURCC} video writer")
    try:
        for img in render_frames(spec):
            writer.write(img)
    finally:
        writer.release()

"""The real sample videos in tests/data decode as documented in tests/data/README.md."""

from __future__ import annotations

from pathlib import Path

import cv2

DATA = Path(__file__).resolve().parents[2] / "data"


def test_carphone_sample_decodes_to_120_frames_at_29_97_fps() -> None:
    path = DATA / "carphone_pristine.mp4"
    assert path.stat().st_size < 2 * 2**20
    cap = cv2.VideoCapture(str(path))
    assert abs(cap.get(cv2.CAP_PROP_FPS) - 30000 / 1001) < 1e-6
    frames = 0
    while True:
        ok, img = cap.read()
        if not ok:
            break
        assert img.shape == (144, 176, 3) and img.std() > 10  # a real picture, not a blank
        frames += 1
    assert frames == 120


def test_every_sample_video_is_listed_in_the_readme() -> None:
    readme = (DATA / "README.md").read_text("utf-8")
    for video in DATA.glob("*.mp4"):
        assert f"`{video.name}`" in readme


def test_vfr_sample_has_irregular_decoder_timestamps() -> None:
    """The container's average fps is wrong for every frame; only decoder timestamps are exact."""
    cap = cv2.VideoCapture(str(DATA / "vfr_carphone.mp4"))
    stamps = []
    while True:
        ok, _ = cap.read()
        if not ok:
            break
        stamps.append(cap.get(cv2.CAP_PROP_POS_MSEC))
    assert len(stamps) == 67
    gaps = [round((b - a) * 29.97 / 1000) for a, b in zip(stamps, stamps[1:], strict=False)]
    assert gaps == [1] * 40 + [2] + [3] * 25
    assert abs(cap.get(cv2.CAP_PROP_FPS) - 67 / (stamps[-1] / 1000 + 3 / 29.97)) < 0.5

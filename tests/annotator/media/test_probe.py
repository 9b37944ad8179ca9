"""The one probe: counting decodable frames, checking their timing, refusing bad files."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.errors import InputError
from annotator.media.probe import VideoInfo, frame_gaps_ms, probe_video, rate_problem

DATA = Path(__file__).resolve().parents[2] / "data"


def make_video(path: Path, frames: int, fps: float = 30.0, size: tuple[int, int] = (64, 48)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, size)
    for i in range(frames):
        writer.write(np.full((size[1], size[0], 3), (i * 7) % 255, np.uint8))
    writer.release()
    return path

def test_probe_counts_decodable_frames(tmp_path: Path) -> None:
    info = probe_video(make_video(tmp_path / "a.avi", 17, fps=29.0))
    assert (info.fps, info.frame_count, info.width, info.height) == (29.0, 17, 64, 48)
    assert info.duration == pytest.approx(17 / 29)


def test_probe_refuses_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found"):
        probe_video(tmp_path / "missing.avi")
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 50)
    with pytest.raises(InputError, match="junk.mp4"):
        probe_video(junk)
    empty = tmp_path / "empty.avi"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty.avi"):
        probe_video(empty)
    truncated = tmp_path / "cut.avi"
    truncated.write_bytes(make_video(tmp_path / "full.avi", 10).read_bytes()[:300])
    with pytest.raises(InputError, match="cut.avi"):
        probe_video(truncated)

def test_constant_rate_sample_passes_with_its_timestamps() -> None:
    info = probe_video(DATA / "carphone_pristine.mp4")
    assert (info.frame_count, info.width, info.height) == (120, 176, 144)
    assert info.frame_gaps_ms == pytest.approx((1000 / 29.97, 1000 / 29.97), abs=0.01)
    assert rate_problem(info) is None


def test_variable_rate_sample_is_refused_with_its_gaps() -> None:
    vfr = DATA / "vfr_carphone.mp4"
    with pytest.raises(InputError) as caught:
        probe_video(vfr)
    assert str(caught.value) == (f"{vfr}: variable frame rate: frame gaps from 33.4 ms to 100.1 ms; "
                                 "re-encode to a constant rate (e.g. ffmpeg -fps_mode cfr)")
    info = probe_video(vfr, allow_variable_rate=True)
    assert info.frame_count == 67 and info.frame_gaps_ms == pytest.approx((33.367, 100.1), abs=0.01)


def test_rate_problem_tolerates_rounding_but_not_a_wrong_rate() -> None:
    def info(fps: float, gaps: tuple[float, float] | None) -> VideoInfo:
        return VideoInfo(Path("v.mkv"), fps, 100, 8, 8, 100, gaps)

    assert rate_problem(info(30.0, (33.0, 34.0))) is None  # 1 ms container timestamps
    assert rate_problem(info(30.0, None)) is None  # no timestamps to judge by
    assert "variable frame rate: frame gaps from 33.3 ms to 66.7 ms" in (rate_problem(info(30.0, (33.3, 66.7))) or "")
    wrong = rate_problem(info(25.0, (33.3, 33.4))) or ""
    assert wrong.startswith("the container says 25 fps (40.0 ms a frame) but the frames are 33.3 ms apart")
    assert frame_gaps_ms([0.0]) is None and frame_gaps_ms([0.0, 0.0, 0.0]) is None
    assert frame_gaps_ms([0.0, 40.0, 120.0]) == (40.0, 80.0)

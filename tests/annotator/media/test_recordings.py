"""Cutting long recordings: the cut plan's guarantees, and frame-exact pieces on disk."""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.errors import Cancelled, InputError
from annotator.media.recordings import Piece, cut_recording, frame_limits, piece_name, plan_pieces
from annotator.progress import CancelToken
from annotator.synthetic.dataset import plan_dataset
from annotator.synthetic.render import render_frames

BITS = 11  # frame index stamped as 11 black/white 8×8 squares along the top edge
SOURCE_SECONDS = 40.0


def stamp(img: np.ndarray, index: int) -> np.ndarray:
    """Write `index` into the frame as a row of black/white squares that survive mp4v."""
    for bit in range(BITS):
        img[:8, bit * 8:(bit + 1) * 8] = 255 if index >> bit & 1 else 0
    return img


def read_stamp(img: np.ndarray) -> int:
    """The index stamp() wrote (each square's mean against mid-grey)."""
    return sum(1 << bit for bit in range(BITS) if img[1:7, bit * 8 + 1:bit * 8 + 7].mean() > 128)


def decode(path: Path) -> np.ndarray:
    """Every frame of a video, (n, h, w, 3) int16."""
    capture = cv2.VideoCapture(str(path))
    frames = []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    return np.stack(frames).astype(np.int16)


def write_stamped_source(path: Path, seconds: float = SOURCE_SECONDS) -> tuple[int, float]:
    """A synthetic interview recording (96×72) with each frame's index stamped on it."""
    spec = plan_dataset(1, 1, seed=3, size=(96, 72), seconds=(seconds, seconds))[0]
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), spec.fps, (96, 72))
    for i, img in enumerate(render_frames(spec)):
        writer.write(stamp(img, i))
    writer.release()
    assert path.stat().st_size > 0
    return spec.frame_count, spec.fps


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, float]:
    path = tmp_path_factory.mktemp("recording") / "S01_01_0001_L.mp4"
    frames, fps = write_stamped_source(path)
    return path, frames, fps


# ------------------------------------------------------------------ the plan
def check_plan(frame_count: int, fps: float, min_s: float, max_s: float) -> None:
    pieces = plan_pieces(frame_count, fps, min_s, max_s)
    fewest, most = frame_limits(fps, min_s, max_s)
    assert pieces[0].offset == 0 and pieces[-1].end == frame_count
    assert all(a.end == b.offset for a, b in zip(pieces, pieces[1:], strict=False))
    if frame_count <= most:
        assert pieces == [Piece(0, frame_count)]
        return
    assert len(pieces) == math.ceil(frame_count / most)
    assert all(fewest <= p.frame_count <= most for p in pieces), pieces
    assert all(min_s - 1e-9 <= p.frame_count / fps <= max_s + 1e-9 for p in pieces)
    assert max(p.frame_count for p in pieces) - min(p.frame_count for p in pieces) <= 1


@pytest.mark.parametrize("fps", [29.0, 30.0, 30000 / 1001, 25.0, 60.0])
def test_no_piece_is_ever_too_short_or_too_long_exhaustive(fps: float) -> None:
    for frame_count in range(1, 4000):  # every length up to 66 s–160 s, with the default 5–15 s
        check_plan(frame_count, fps, 5.0, 15.0)


@settings(max_examples=300, deadline=None)
@given(frame_count=st.integers(1, 200_000), fps=st.floats(5.0, 120.0),
       max_s=st.floats(1.0, 60.0), share=st.floats(0.05, 0.5))
def test_no_piece_is_ever_too_short_or_too_long_for_any_limits(frame_count: int, fps: float, max_s: float,
                                                               share: float) -> None:
    min_s = max_s * share
    try:
        frame_limits(fps, min_s, max_s)
    except InputError:
        return  # whole-frame rounding made these limits impossible at this fps: refused, not cut badly
    check_plan(frame_count, fps, min_s, max_s)


def test_impossible_limits_are_refused() -> None:
    with pytest.raises(InputError, match="at most half of max"):
        frame_limits(30.0, 8.0, 15.0)
    with pytest.raises(InputError, match="need 0 < min <= max"):
        frame_limits(30.0, 0.0, 15.0)
    with pytest.raises(InputError, match="need 0 < min <= max"):
        frame_limits(30.0, 10.0, 5.0)
    with pytest.raises(InputError, match="need 0 < min <= max"):
        frame_limits(30.0, float("nan"), 5.0)


def test_examples_and_names() -> None:
    assert plan_pieces(1200, 30.0) == [Piece(0, 400), Piece(400, 400), Piece(800, 400)]
    assert plan_pieces(451, 30.0) == [Piece(0, 226), Piece(226, 225)]  # 15.03 s -> two of ~7.5 s
    assert plan_pieces(450, 30.0) == [Piece(0, 450)]
    assert plan_pieces(100, 30.0) == [Piece(0, 100)]  # shorter than the minimum: kept whole
    assert [piece_name("a_b", k, 3) for k in range(3)] == ["a_b_part01", "a_b_part02", "a_b_part03"]
    assert piece_name("x", 99, 120) == "x_part100"


# ------------------------------------------------------------------ cutting
def test_pieces_hold_exactly_their_source_frames(source: tuple[Path, int, float], tmp_path: Path) -> None:
    path, frame_count, fps = source
    assert frame_count == round(SOURCE_SECONDS * fps)
    original = decode(path)
    assert [read_stamp(f) for f in original] == list(range(frame_count))  # the stamps survive mp4v
    pieces = plan_pieces(frame_count, fps)
    outputs = [tmp_path / f"p{k}.mp4" for k in range(len(pieces))]
    seen: list[float] = []
    written = cut_recording(path, pieces, outputs, progress=lambda f, _m: seen.append(f))
    assert seen == sorted(seen) and 0 <= seen[0] and seen[-1] < 1
    assert [w.path for w in written] == outputs and [w.piece for w in written] == pieces
    for w in written:
        frames = decode(w.path)
        assert len(frames) == w.piece.frame_count
        assert (w.fps, w.width, w.height) == (fps, 96, 72)
        assert [read_stamp(f) for f in frames] == list(range(w.piece.offset, w.piece.end))
        # mp4v re-encodes: same pictures up to compression noise (a few grey levels on average)
        assert np.abs(frames - original[w.piece.offset:w.piece.end]).mean() < 4.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p0.mp4", "p1.mp4", "p2.mp4"]


def test_cancel_leaves_no_file(source: tuple[Path, int, float], tmp_path: Path) -> None:
    path, frame_count, fps = source
    token = CancelToken()

    def cancel_halfway(fraction: float, _message: str) -> None:
        if fraction > 0.5:
            token.cancel()

    with pytest.raises(Cancelled):
        cut_recording(path, plan_pieces(frame_count, fps), [tmp_path / f"p{k}.mp4" for k in range(3)],
                      progress=cancel_halfway, cancel=token)
    assert list(tmp_path.iterdir()) == []


def test_failures_leave_no_file_and_never_overwrite(source: tuple[Path, int, float], tmp_path: Path) -> None:
    path, frame_count, _ = source
    too_long = [Piece(0, frame_count - 10), Piece(frame_count - 10, 20)]  # asks for 10 frames past the end
    with pytest.raises(InputError, match=f"frame {frame_count}: the video ended"):
        cut_recording(path, too_long, [tmp_path / "a.mp4", tmp_path / "b.mp4"])
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "b.mp4").write_bytes(b"keep me")
    with pytest.raises(InputError, match="b.mp4: a file of that name already exists"):
        cut_recording(path, [Piece(0, 10), Piece(10, 10)], [tmp_path / "a.mp4", tmp_path / "b.mp4"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.mp4"]
    assert (tmp_path / "b.mp4").read_bytes() == b"keep me"

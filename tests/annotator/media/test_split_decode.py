"""Two decoders sharing a clip (head from frame 0, tail from a keyframe near the middle):
the cache must hold exactly what one sequential decode gives, and readers never see a gap."""

import threading
from pathlib import Path

import cv2
import numpy as np
import pytest

from annotator.errors import Cancelled
from annotator.media import decode
from annotator.media.decode import decode_into
from annotator.media.frame_cache import SLACK_FRAMES, CachePlan, ChunkPool, FrameCache
from annotator.media.keyframes import keyframes, split_point
from annotator.media.probe import probe_video
from annotator.progress import CancelToken
from tests.annotator.media.video_files import write_test_clip

VFR = Path(__file__).resolve().parents[2] / "data" / "vfr_carphone.mp4"


def sequential(path: Path, size: tuple[int, int] | None = None) -> tuple[list[np.ndarray], list[float]]:
    """Every frame (shrunk to `size` as the cache does) and its timestamp, from one plain pass."""
    capture = cv2.VideoCapture(str(path))
    frames, stamps = [], []
    while (read := capture.read())[0]:
        frame = read[1]
        frames.append(frame if size is None else cv2.resize(frame, size, interpolation=cv2.INTER_AREA))
        stamps.append(capture.get(cv2.CAP_PROP_POS_MSEC))
    capture.release()
    return frames, stamps


def cache_for(path: Path, frames: int, shrink: bool) -> FrameCache:
    probe = probe_video(path, count_frames=False)
    w, h = (probe.width // 2, probe.height // 2) if shrink else (probe.width, probe.height)
    return FrameCache(probe.path, (probe.width, probe.height), CachePlan(w, h, frames + SLACK_FRAMES, w / probe.width),
                      pool=ChunkPool())


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Counts how often the head joined a tail and how often it dropped one."""
    calls = {"joined": 0, "alone": 0}
    join, alone = decode._Fill._join, decode._Fill._alone

    def joined(self: decode._Fill, tail: object) -> None:
        calls["joined"] += 1
        join(self, tail)  # type: ignore[arg-type]

    def dropped(self: decode._Fill) -> None:
        calls["alone"] += 1
        alone(self)

    monkeypatch.setattr(decode._Fill, "_join", joined)
    monkeypatch.setattr(decode._Fill, "_alone", dropped)
    return calls


@pytest.fixture
def patient_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """The head waits after frame 0 until the tail has asked for its half: these clips are small
    enough for the head to get past the middle while the tail starts, and then it gets nothing."""
    asked = threading.Event()
    claim, may_read = decode._Fill.claim, decode._Fill._head_may_read

    def claiming(self: decode._Fill, start: int, frames: int) -> bool:
        try:
            return claim(self, start, frames)
        finally:
            asked.set()

    def waiting(self: decode._Fill, index: int) -> bool:
        if index == 1:
            assert asked.wait(10.0), "the tail never asked for its half"
        return may_read(self, index)

    monkeypatch.setattr(decode._Fill, "claim", claiming)
    monkeypatch.setattr(decode._Fill, "_head_may_read", waiting)


def test_keyframes_come_from_the_packets_without_decoding(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=100)
    keys, frames = keyframes(str(path))
    assert frames == 100
    assert keys == list(range(0, 100, 12))  # OpenCV's mp4v writer: a keyframe every 12 frames
    assert keyframes(str(tmp_path / "missing.mp4")) == ([], 0)
    assert keyframes(str(path), stop=lambda: True) == ([], 0)


def test_a_variable_rate_file_offers_no_keyframe_to_split_at() -> None:
    """Its timestamps are not frames 0 … n-1 at its average rate, so OpenCV's seek (which
    assumes they are) would land elsewhere: no tail is started at all."""
    if not VFR.is_file():
        pytest.skip(f"sample video missing: {VFR}")
    assert keyframes(str(VFR)) == ([], 67)


def test_split_point_is_the_keyframe_nearest_the_middle() -> None:
    assert split_point([0, 12, 24, 36, 48, 60, 72, 84], 100, min_frames=10) == 48
    assert split_point([0, 30, 60], 100, min_frames=10) == 60  # nearer 50 than 30 is
    assert split_point([0, 80], 100, min_frames=10) is None  # outside the middle half: no gain
    assert split_point([0], 100, min_frames=10) is None  # one GOP: the tail would decode it all
    assert split_point([0, 50], 90, min_frames=96) is None  # too short to be worth it


@pytest.mark.parametrize("shrink", [False, True], ids=["in-place", "shrunk"])
def test_two_decoders_give_the_sequential_frames_and_times(tmp_path: Path, spy: dict[str, int], patient_head: None,
                                                           shrink: bool) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=120, fps=25.0)
    cache = cache_for(path, 120, shrink)
    frames, stamps = sequential(path, (cache.plan.width, cache.plan.height) if shrink else None)
    counts: list[int] = []
    assert decode_into(cache, lambda _f, _m: counts.append(cache.count), min_split_frames=1) == 120
    assert spy == {"joined": 1, "alone": 0}  # the tail's work was used
    assert cache.complete and cache.error is None
    for i in range(120):
        np.testing.assert_array_equal(cache.frame(i), frames[i], err_msg=f"frame {i}")
    np.testing.assert_array_equal(cache.timestamps_ms[:120], stamps)
    assert counts == sorted(counts)  # readers only ever see the count grow


def test_a_tail_that_seeks_to_the_wrong_frame_is_dropped(spy: dict[str, int], patient_head: None,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Were a tail started on a variable-rate file, OpenCV would seek it by the average rate and
    land elsewhere: the head's check catches it and decodes the rest itself."""
    if not VFR.is_file():
        pytest.skip(f"sample video missing: {VFR}")
    monkeypatch.setattr(decode, "keyframes", lambda _path, _stop: ([0, 30], 67))
    frames, stamps = sequential(VFR)
    cache = cache_for(VFR, len(frames), shrink=False)
    assert decode_into(cache, min_split_frames=1) == len(frames)
    assert spy == {"joined": 0, "alone": 1}
    for i, expected in enumerate(frames):
        np.testing.assert_array_equal(cache.frame(i), expected, err_msg=f"frame {i}")
    np.testing.assert_array_equal(cache.timestamps_ms[: len(frames)], stamps)


def test_no_tail_without_a_keyframe_in_the_middle(tmp_path: Path, spy: dict[str, int],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode, "keyframes", lambda _path, _stop: ([0], 120))
    path = write_test_clip(tmp_path / "c.mp4", frames=120)
    cache = cache_for(path, 120, shrink=True)
    assert decode_into(cache, min_split_frames=1) == 120 and cache.complete
    assert spy == {"joined": 0, "alone": 0}


def test_cancel_while_two_decoders_run_leaves_a_gapless_prefix(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=200)
    cache = cache_for(path, 200, shrink=True)
    frames, _ = sequential(path, (cache.plan.width, cache.plan.height))
    token = CancelToken()
    reports: list[int] = []

    def progress(_fraction: float, _message: str) -> None:
        reports.append(cache.count)
        if len(reports) == 6:
            token.cancel()

    with pytest.raises(Cancelled):
        decode_into(cache, progress, token, min_split_frames=1)
    assert 0 < cache.count < 200 and not cache.complete
    for i in range(cache.count):
        np.testing.assert_array_equal(cache.frame(i), frames[i], err_msg=f"frame {i}")


def test_the_file_holding_more_frames_than_declared_is_reported_by_the_tail(tmp_path: Path, spy: dict[str, int],
                                                                          patient_head: None) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=130)
    probe = probe_video(path, count_frames=False)
    cache = FrameCache(probe.path, (probe.width, probe.height), CachePlan(probe.width, probe.height, 120, 1.0),
                       pool=ChunkPool())
    assert decode_into(cache, min_split_frames=1) == 120
    assert spy["joined"] == 1
    assert cache.error is not None and "more frames than it declares" in cache.error


class _EarlySeek:
    """A capture whose seeks land 40 frames early (as a bad seek in a real file might)."""

    def __init__(self, *args: object) -> None:
        self._cap = cv2.VideoCapture(*args)  # type: ignore[call-overload]

    def set(self, prop: int, value: float) -> bool:
        return bool(self._cap.set(prop, value - 40 if prop == cv2.CAP_PROP_POS_FRAMES else value))

    def __getattr__(self, name: str) -> object:
        return getattr(self._cap, name)


def test_a_dropped_tail_leaves_no_message_behind(tmp_path: Path, spy: dict[str, int], patient_head: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Landing early, the tail runs into the cache's end while the file still has frames: true
    for its wrong frames only, so the message must go with the tail when it is dropped."""
    import types

    fake_cv2 = types.SimpleNamespace(**{name: getattr(cv2, name) for name in dir(cv2) if name.isupper()})
    fake_cv2.VideoCapture = _EarlySeek
    monkeypatch.setattr(decode, "cv2", fake_cv2)
    matches = decode._Fill._tail_matches

    def after_the_tail_ended(self: decode._Fill, tail: decode._Tail, index: int) -> bool:
        assert tail.done.wait(10.0)
        return matches(self, tail, index)

    monkeypatch.setattr(decode._Fill, "_tail_matches", after_the_tail_ended)
    path = write_test_clip(tmp_path / "c.mp4", frames=120)
    cache = cache_for(path, 120, shrink=False)
    frames, _ = sequential(path)
    assert decode_into(cache, min_split_frames=1) == 120
    assert spy == {"joined": 0, "alone": 1}
    assert cache.error is None
    for i, expected in enumerate(frames):
        np.testing.assert_array_equal(cache.frame(i), expected, err_msg=f"frame {i}")

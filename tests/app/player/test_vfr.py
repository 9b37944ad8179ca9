"""A real variable-frame-rate file in the player: every time comes from the decoder, never i/fps.

tests/data/vfr_carphone.mp4 holds 67 frames: source frames 0-40 of a 29.97 fps sequence, then
every third one from 42 to 117 (see tests/data/README.md). OpenCV reports an average of
17.02 fps, so any time computed as i/fps is wrong by up to a second.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest
from pytestqt.qtbot import QtBot

from annotator.media.decode import decode_into, new_cache
from annotator.media.probe import probe_video
from app.player.player_widget import Player
from app.tasks import TaskRunner

VFR = Path(__file__).resolve().parents[2] / "data" / "vfr_carphone.mp4"
SOURCE_FRAMES = [*range(41), *range(42, 118, 3)]  # which 29.97 fps source frame each one is
FRAMES = len(SOURCE_FRAMES)  # 67


def decoder_reference() -> tuple[list[np.ndarray], list[float]]:
    """Every frame and its CAP_PROP_POS_MSEC from a plain, independent OpenCV pass."""
    capture = cv2.VideoCapture(str(VFR))
    frames, stamps = [], []
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
        stamps.append(capture.get(cv2.CAP_PROP_POS_MSEC))
    capture.release()
    return frames, stamps


@pytest.fixture(scope="module")
def reference() -> tuple[list[np.ndarray], list[float]]:
    if not VFR.is_file():
        pytest.skip(f"sample video missing: {VFR}")
    return decoder_reference()


def test_the_sample_really_is_variable_rate(reference: tuple[list[np.ndarray], list[float]]) -> None:
    _, stamps = reference
    assert len(stamps) == FRAMES
    gaps = np.diff(stamps)
    assert gaps.min() == pytest.approx(1001 / 30, abs=0.1) and gaps.max() == pytest.approx(3 * 1001 / 30, abs=0.1)
    average_fps = probe_video(VFR, count_frames=False).fps
    assert average_fps == pytest.approx(17.02, abs=0.01)  # what i/fps would wrongly use


def test_cache_holds_each_decoded_frame_with_the_decoders_timestamp(
        reference: tuple[list[np.ndarray], list[float]]) -> None:
    frames, stamps = reference
    cache = new_cache(probe_video(VFR, count_frames=False))
    try:
        assert decode_into(cache) == FRAMES and cache.complete and cache.error is None
        np.testing.assert_array_equal(cache.timestamps_ms[:FRAMES], stamps)
        # ... which are the source frames' times at 29.97 fps, not i / 17.02
        np.testing.assert_allclose(cache.timestamps_ms[:FRAMES], np.array(SOURCE_FRAMES) * 1001 / 30, atol=0.5)
        assert abs(cache.time_ms(40) - 40 / 17.016881 * 1000) > 900  # type: ignore[operator]
        for i in range(FRAMES):  # full size here, so frame i is bit-for-bit decoded frame i
            np.testing.assert_array_equal(cache.frame(i), frames[i])
        # the frame on screen at a time is the last one starting at or before it
        assert cache.frame_at_time(stamps[41] - 1) == 40 and cache.frame_at_time(stamps[41]) == 41
        assert cache.frame_at_time(stamps[50] + 99) == 50
    finally:
        cache.release()


@pytest.fixture
def vfr_player(qtbot: QtBot, reference: object) -> Iterator[Player]:
    runner = TaskRunner()
    player = Player(runner)
    qtbot.addWidget(player)
    player.show()
    player.open_video(str(VFR), FRAMES, 17.016881)  # the (wrong) average rate the store might hold
    qtbot.waitUntil(lambda: player.cache is not None and player.cache.complete, timeout=10000)
    yield player
    player.close_video()
    runner.shutdown()


def test_stepping_is_by_frame_index_and_shows_the_decoders_time(
        vfr_player: Player, reference: tuple[list[np.ndarray], list[float]]) -> None:
    _, stamps = reference
    player = vfr_player
    assert player.last_frame() == FRAMES - 1
    seen: list[int] = []
    player.frameChanged.connect(seen.append)
    player.seek(39)
    for _ in range(4):  # across the 2-frame gap and into the 3-frame spacing
        player.step(1)
    player.step(-1)
    player.step(10)
    player.step(1000)
    assert seen == [39, 40, 41, 42, 43, 42, 52, FRAMES - 1]
    for frame in (0, 40, 41, 42, 52, FRAMES - 1):
        player.seek(frame)
        assert f"frame {frame} / {FRAMES - 1}" in player.position.text()
        assert f"{stamps[frame] / 1000:7.3f} s" in player.position.text()
        assert "(est.)" not in player.position.text()
    player.seek(52)
    assert f"{52 / 17.016881:7.3f} s" not in player.position.text()  # not i / average fps


def test_playback_paces_frames_by_their_timestamps(
        qtbot: QtBot, vfr_player: Player, reference: tuple[list[np.ndarray], list[float]]) -> None:
    _, stamps = reference
    player = vfr_player
    player.seek(38)
    shown: list[tuple[int, float]] = []
    player.frameChanged.connect(lambda f: shown.append((f, time.perf_counter())))
    t0 = time.perf_counter()
    player.toggle_play()
    qtbot.waitUntil(lambda: bool(shown) and shown[-1][0] >= 44, timeout=5000)
    player.toggle_play()
    # Frame k may not appear before its decoder time has elapsed since frame 38 (timers never
    # fire early); pacing by the average 17.02 fps would show frame 44 at 353 ms instead of 434.
    for frame, at in shown:
        assert at - t0 >= (stamps[frame] - stamps[38]) / 1000 - 0.002, (frame, at - t0)

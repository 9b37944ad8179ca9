"""Frame cache planning and whole-clip decoding (no Qt needed)."""

from pathlib import Path

import numpy as np
import pytest

from annotator.errors import Cancelled, InputError
from annotator.media.decode import decode_into, new_cache
from annotator.media.frame_cache import (
    CHUNK_BYTES,
    SLACK_FRAMES,
    CachePlan,
    ChunkPool,
    FrameCache,
    plan_cache,
)
from annotator.media.probe import probe_video
from annotator.progress import CancelToken
from tests.annotator.media.video_files import write_test_clip


def test_plan_keeps_full_size_when_it_fits() -> None:
    plan = plan_cache(1920, 1080, 100, budget_bytes=1 << 30)
    assert (plan.width, plan.height, plan.scale) == (1920, 1080, 1.0)
    assert plan.capacity == 100 + SLACK_FRAMES


@pytest.mark.parametrize("frames", [450, 900, 5000])
def test_plan_shrinks_frames_to_stay_within_budget(frames: int) -> None:
    budget = 1 << 30
    plan = plan_cache(1920, 1080, frames, budget_bytes=budget)
    assert plan.nbytes <= budget
    factor = 1920 // plan.width
    assert (plan.width, plan.height) == (1920 // factor, 1080 // factor)  # integer factor, aspect kept
    bigger = CachePlan(1920 // (factor - 1), 1080 // (factor - 1), plan.capacity, 1 / (factor - 1))
    assert bigger.nbytes > budget  # the largest size that fits


def test_decode_fills_every_frame_in_order_with_decoder_timestamps(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=40, fps=25.0)
    probe = probe_video(path, count_frames=False)
    cache = new_cache(probe)
    reports: list[float] = []
    n = decode_into(cache, lambda f, _m: reports.append(f))
    assert n == cache.count == 40 and cache.complete
    assert reports[0] > 0 and reports[-1] == 1.0
    # 25 fps: the decoder stamps frame i at 40·i ms
    np.testing.assert_allclose(cache.timestamps_ms[:40], np.arange(40) * 40.0, atol=0.5)
    # frame i shows the bright bar at x = 2i: the frames are in decode order, none skipped
    for i in (0, 1, 17, 39):
        column = cache.frame(i).mean(axis=(0, 2))  # type: ignore[union-attr]
        assert abs(int(np.argmax(column)) - (2 * i + 1.5)) <= 2.5
    assert cache.frame(40) is None
    assert cache.frame_at_time(41.0) == 1 and cache.frame_at_time(-5) == 0


def test_decode_into_a_small_budget_downscales(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=30)
    probe = probe_video(path, count_frames=False)
    cache = FrameCache(probe.path, (probe.width, probe.height), CachePlan(80, 60, 38, 0.5))
    assert decode_into(cache) == 30
    assert cache.frame(0).shape == (60, 80, 3)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not found") as err:
        probe_video(tmp_path / "nope.mp4", count_frames=False)
    assert "nope.mp4" in str(err.value)


def test_garbage_file_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"this is not a video" * 100)
    with pytest.raises(InputError) as err:
        cache = new_cache(probe_video(bad, count_frames=False))
        decode_into(cache)
    assert "bad.mp4" in str(err.value)


def test_truncated_file_keeps_the_frames_before_the_damage(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=60)
    data = path.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(data[: len(data) * 2 // 3])
    try:
        cache = new_cache(probe_video(cut, count_frames=False))
    except InputError as exc:  # the container index may be lost entirely: refused, named
        assert "cut.mp4" in str(exc)
        return
    try:
        n = decode_into(cache)
    except InputError as exc:
        assert "cut.mp4" in str(exc)
        return
    assert 0 < n < 60


def test_cancel_stops_decoding(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=60)
    cache = new_cache(probe_video(path, count_frames=False))
    token = CancelToken()

    def progress(fraction: float, message: str) -> None:
        token.cancel()

    with pytest.raises(Cancelled):
        decode_into(cache, progress, token)
    assert 0 < cache.count < 60 and not cache.complete


def test_released_memory_is_reused_by_the_next_cache(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=20)
    first = new_cache(probe_video(path, count_frames=False))
    decode_into(first)
    address = first.frame(0).__array_interface__["data"][0]
    first.release()
    assert first.frame(0) is None
    second = new_cache(probe_video(path, count_frames=False))
    assert decode_into(second) == 20
    assert second.frame(0).__array_interface__["data"][0] == address


def test_pool_keeps_at_most_its_limit() -> None:
    pool = ChunkPool(limit_bytes=3 * CHUNK_BYTES)
    chunks = [pool.take(CHUNK_BYTES) for _ in range(5)]
    chunks[0][:] = 7  # mapped memory is writable
    pool.give(chunks)
    assert pool.spare_bytes() == 3 * CHUNK_BYTES
    again = pool.take(CHUNK_BYTES)
    assert again.nbytes == CHUNK_BYTES and pool.spare_bytes() == 2 * CHUNK_BYTES
    pool.clear()
    assert pool.spare_bytes() == 0


def test_shrunk_frames_are_the_decoded_frames_in_order(tmp_path: Path) -> None:
    """Through the two-stage pipeline, slot i holds decoded frame i shrunk, with its own timestamp."""
    import cv2

    path = write_test_clip(tmp_path / "c.mp4", frames=50, fps=25.0)
    capture = cv2.VideoCapture(str(path))
    reference = []
    while (read := capture.read())[0]:
        reference.append(cv2.resize(read[1], (80, 60), interpolation=cv2.INTER_AREA))
    capture.release()
    probe = probe_video(path, count_frames=False)
    cache = FrameCache(probe.path, (probe.width, probe.height), CachePlan(80, 60, 58, 0.5), pool=ChunkPool())
    assert decode_into(cache) == 50 == len(reference) and cache.complete
    for i, expected in enumerate(reference):
        np.testing.assert_array_equal(cache.frame(i), expected)
    np.testing.assert_allclose(cache.timestamps_ms[:50], np.arange(50) * 40.0, atol=0.5)


def test_cancel_during_the_pipeline_leaves_a_gapless_prefix(tmp_path: Path) -> None:
    path = write_test_clip(tmp_path / "c.mp4", frames=60)
    probe = probe_video(path, count_frames=False)
    cache = FrameCache(probe.path, (probe.width, probe.height), CachePlan(80, 60, 68, 0.5), pool=ChunkPool())
    token = CancelToken()
    counts: list[int] = []

    def progress(fraction: float, message: str) -> None:
        counts.append(cache.count)
        if len(counts) == 3:
            token.cancel()

    with pytest.raises(Cancelled):
        decode_into(cache, progress, token)
    assert 0 < cache.count < 60 and not cache.complete
    assert counts == sorted(counts)  # readers only ever see the count grow
    for i in range(cache.count):  # every published slot is filled (the bar is at x = 2i, scaled by 1/2)
        column = cache.frame(i).mean(axis=(0, 2))  # type: ignore[union-attr]
        assert abs(int(np.argmax(column)) - (i + 0.75)) <= 1.5


def test_a_failure_in_the_shrinking_stage_reaches_the_caller(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.media import storing

    path = write_test_clip(tmp_path / "c.mp4", frames=40)
    probe = probe_video(path, count_frames=False)
    cache = FrameCache(probe.path, (probe.width, probe.height), CachePlan(80, 60, 48, 0.5), pool=ChunkPool())
    real = storing.Shrinker.shrink

    def failing(self: storing.Shrinker, index: int, frame: np.ndarray) -> None:
        if index == 5:
            raise MemoryError("no room for frame 5")
        real(self, index, frame)

    monkeypatch.setattr(storing.Shrinker, "shrink", failing)
    with pytest.raises(MemoryError, match="frame 5"):
        decode_into(cache)
    assert cache.count == 5 and not cache.complete
